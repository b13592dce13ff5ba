// The answer-rule grammar, used wherever a rule says which messages count:
// `/^pong/i` is a regular expression (run on the linear-time engine),
// `json:type=pong` matches a JSON field, anything else is the exact text.
// `{seq}` in a rule stands for a beat's number.
import { z } from 'zod';
import { boundedText, LIMITS } from './limits';
import { patternProblem } from './pattern';

export const pongMatchSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('exact'), text: boundedText('match text', LIMITS.ruleChars) }),
    z
      .object({
        kind: z.literal('regex'),
        pattern: boundedText('regular expression', LIMITS.ruleChars),
        flags: z
          .string()
          .regex(/^[imsu]*$/, { error: 'regular expression flags may only be i, m, s and u' })
          .default(''),
      })
      .superRefine((m, ctx) => {
        const problem = regexProblem(m.pattern, m.flags);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['pattern'] });
      }),
    z.object({
      kind: z.literal('json'),
      path: boundedText('JSON match path', LIMITS.ruleChars).min(1, { error: 'JSON match needs a field path, such as type or data.kind' }),
      equals: z.union([boundedText('JSON match value', LIMITS.ruleChars), z.number(), z.boolean(), z.null()]),
    }),
  ],
  { error: 'pong match must be exact text, a /regular expression/ or json:field=value' },
);
export type PongMatch = z.infer<typeof pongMatchSchema>;

function regexProblem(pattern: string, flags: string): string | null {
  // {seq} stands for the beat's number (engine/heartbeat.ts): checked as the digits it matches.
  return patternProblem(pattern.replaceAll('{seq}', '(\\d+)'), flags);
}

/**
 * The text form of a pong rule used by the CLI and the form:
 * `/^pong/i` is a regular expression, `json:type=pong` matches a JSON field,
 * anything else is the exact text.
 */
export function parsePongMatch(text: string): PongMatch {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (re) return { kind: 'regex', pattern: re[1]!, flags: re[2]! };
  if (text.startsWith('json:')) {
    const [path = '', ...rest] = text.slice(5).split('=');
    const raw = rest.join('=');
    let equals: string | number | boolean | null = raw;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed === null || ['string', 'number', 'boolean'].includes(typeof parsed)) equals = parsed as typeof equals;
    } catch {
      /* a bare word: compare as text */
    }
    return { kind: 'json', path, equals };
  }
  return { kind: 'exact', text };
}

export function formatPongMatch(m: PongMatch): string {
  if (m.kind === 'exact') return m.text;
  if (m.kind === 'regex') return `/${m.pattern}/${m.flags}`;
  return `json:${m.path}=${typeof m.equals === 'string' ? m.equals : JSON.stringify(m.equals)}`;
}
