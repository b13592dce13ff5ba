// What an answer rule (shared/match-rule.ts) makes of a message: not an
// answer, an answer to the oldest beat, or to the beat whose number {seq}
// reads from it. Patterns run on the linear-time engine (shared/pattern.ts),
// whatever the peer sends.
import type { PongMatch } from '../../shared/match-rule';
import { compilePattern } from '../../shared/pattern';

/** What an answer rule makes of a message: not an answer (null), or an answer to beat `seq` (null: to the oldest). */
export type Answer = { seq: number | null } | null;

const SEQ = '{seq}';
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A recogniser for the answer rule; `{seq}` in the rule reads the beat's number from the answer. Pure. */
export function answerMatcher(match: PongMatch): (text: string) => Answer {
  switch (match.kind) {
    case 'exact': {
      if (!match.text.includes(SEQ)) return (text) => (text === match.text ? { seq: null } : null);
      const re = new RegExp(`^${match.text.split(SEQ).map(escapeRegex).join('(\\d+)')}$`);
      return (text) => seqFrom(re.exec(text));
    }
    case 'regex': {
      // A user's pattern: on the linear-time engine (shared/pattern.ts), whatever the peer sends.
      if (!match.pattern.includes(SEQ)) {
        const re = compilePattern(match.pattern, match.flags);
        return (text) => (re.test(text) ? { seq: null } : null);
      }
      const re = compilePattern(match.pattern.split(SEQ).join('(\\d+)'), match.flags);
      return (text) => seqFrom(re.exec(text));
    }
    case 'json': {
      const path = match.path.split('.');
      const bySeq = match.equals === SEQ;
      return (text) => {
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch {
          return null;
        }
        for (const key of path) {
          if (v === null || typeof v !== 'object') return null;
          v = (v as Record<string, unknown>)[key];
        }
        if (!bySeq) return v === match.equals ? { seq: null } : null;
        const seq = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
        return Number.isInteger(seq) ? { seq } : null;
      };
    }
  }
}

function seqFrom(m: ArrayLike<string | undefined> | null): Answer {
  return m ? { seq: Number(m[1]) } : null;
}

/** The payload of beat `seq`: "{seq}" in the configured payload is replaced by the number. */
export function beatPayload(payload: string, seq: number): string {
  return payload.replaceAll(SEQ, String(seq));
}
