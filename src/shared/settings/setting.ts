// What one setting is, described once: where it lives in an endpoint's
// settings, how a person types it (kind), what it is called in the form and on
// the command line, where it is grouped, whether it is a secret, and its help.
// The CLI parser and --help, the form, the secret list and the README's tables
// are all made from these descriptions (shared/settings/endpoint.ts and each
// protocol's definition in shared/app-protocols/).
import { formatPongMatch, parsePongMatch, type PongMatch } from '../match-rule';
import { formatDuration, parseDuration } from '../duration';
import { parseHeaderLine } from '../header-line';
import { formatReplyLine, parseReplyLine } from '../reply-line';

/** How a setting is typed, and so how its text becomes a value and back. */
export type SettingKind =
  | 'text' // one line of text
  | 'secret' // text shown masked, never trimmed
  | 'duration' // "250ms", "5s", "2m" -> milliseconds
  | 'seconds' // "60s" -> whole seconds
  | 'int'
  | 'number'
  | 'choice' // one of `choices`
  | 'toggle' // true or false
  | 'rule' // an answer rule: TEXT, /regex/flags or json:field=value
  | 'json'
  | 'list' // comma-separated in a form, a repeatable flag
  | 'lines' // one per line in a form, a repeatable flag
  | 'headers' // "Name: value" lines
  | 'replies'; // "RULE => PAYLOAD" lines

/** The form's groups, in their order: basic settings first, the rest under named, collapsed groups. */
export const SETTING_GROUPS = [
  { id: 'basic', label: 'Basic' },
  { id: 'timing', label: 'Timeouts and backoff' },
  { id: 'tls', label: 'TLS and proxy' },
  { id: 'http', label: 'Headers, subprotocols and limits' },
  { id: 'blocks', label: 'Building blocks' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'frames', label: 'Frame capture' },
] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number]['id'];

export interface Choice {
  value: string | number;
  label: string;
}

export interface Setting {
  /** Where it lives in an endpoint's settings ("heartbeat.intervalMs"); a protocol option's path is within appProtocol. */
  path: string;
  kind: SettingKind;
  /** The form's label. */
  label: string;
  /** One line: the form's hint, the CLI's --help, the README's tables. */
  help: string;
  group: SettingGroup;
  choices?: readonly Choice[];
  /** The command-line flag, without "--"; none for settings only a file or the form sets. */
  flag?: string;
  /** The flag's value, as --help names it (D, N, FILE, RULE …). */
  arg?: string;
  /** Read from this environment variable on the command line instead of a flag: a secret in a flag is in every process list. */
  env?: string;
  /** A toggle's flag sets this value (--insecure sets rejectUnauthorized to false). */
  flagSets?: boolean;
  /** Sealed at rest, masked in every output, typed in a password field. */
  secret?: boolean;
  /** What the default is in words, where the schema fills none in ("none", "the environment"). */
  defaultText?: string;
  /** Only with this other setting (its path): alone it is a mistake worth naming (--expect-match goes with --expect-every). */
  requires?: string;
  /** Left empty, the value is null (never give up) rather than absent. */
  emptyIsNull?: boolean;
}

export type Parsed = { ok: true; value: unknown } | { ok: false; problem: string };

const ok = (value: unknown): Parsed => ({ ok: true, value });
const fail = (problem: string): Parsed => ({ ok: false, problem });

/** Kinds typed as several items: a repeatable flag on the command line, separated text in a form. */
const SEPARATOR: Partial<Record<SettingKind, string>> = { list: ',', lines: '\n', headers: '\n', replies: '\n' };

export function isMultiple(s: Setting): boolean {
  return SEPARATOR[s.kind] !== undefined;
}

/** One item of a setting's text (a flag's value, a form field) as its value, or the problem in words ("must be …"). */
function parseOne(s: Setting, text: string): Parsed {
  switch (s.kind) {
    case 'duration':
    case 'seconds': {
      const ms = parseDuration(text.trim());
      if (ms === null) return fail('must be a duration such as 250ms, 5s or 2m');
      return ok(s.kind === 'seconds' ? Math.round(ms / 1000) : ms);
    }
    case 'int':
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || (s.kind === 'int' && !Number.isInteger(n)))
        return fail(`must be ${s.kind === 'int' ? 'a whole number' : 'a number'}`);
      return ok(n);
    }
    case 'choice': {
      const c = s.choices!.find((c) => String(c.value) === text.trim() || c.label === text.trim());
      return c ? ok(c.value) : fail(`must be one of ${s.choices!.map((c) => c.value).join(', ')}`);
    }
    case 'toggle':
      return text === 'true' || text === 'false' ? ok(text === 'true') : fail('must be true or false');
    case 'rule':
      return ok(parsePongMatch(text.trim()));
    case 'json':
      try {
        return ok(JSON.parse(text));
      } catch {
        return fail('must be JSON, such as {"token": "…"}');
      }
    case 'headers': {
      const header = parseHeaderLine(text);
      return header ? ok(header) : fail('must be "Name: value"');
    }
    case 'replies': {
      const reply = parseReplyLine(text);
      return reply ? ok(reply) : fail('must be "RULE => PAYLOAD", such as "2 => 3" or \'json:type=ping => {"type":"pong"}\'');
    }
    case 'secret':
      return ok(text);
    default:
      return ok(text.trim());
  }
}

/** Several items' values as the setting's value: a list, a header record. */
function combine(s: Setting, values: unknown[]): unknown {
  return s.kind === 'headers' ? Object.fromEntries(values as [string, string][]) : values;
}

/**
 * A setting's value from what was typed: one text (a form field, a flag), or a
 * repeatable flag's texts. Empty text means "not set" (undefined), or null for
 * a setting whose empty value means something. `got` names the text at fault.
 */
export function parseSetting(s: Setting, input: string | string[] | boolean): { ok: true; value: unknown } | { ok: false; problem: string; got: string } {
  if (typeof input === 'boolean') return { ok: true, value: input };
  const sep = SEPARATOR[s.kind];
  const items = Array.isArray(input) ? input : sep ? input.split(sep) : [input];
  const given = items.filter((t) => t.trim() !== '');
  if (!given.length) return { ok: true, value: s.emptyIsNull ? null : undefined };
  const values: unknown[] = [];
  for (const item of sep ? given : [items.join('')]) {
    const r = parseOne(s, sep ? item.trim() : item);
    if (!r.ok) return { ...r, got: item };
    values.push(r.value);
  }
  return { ok: true, value: sep ? combine(s, values) : values[0] };
}

/** A value as a person types it (the form's text, the README's default). */
export function formatSetting(s: Setting, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (s.kind) {
    case 'duration':
      return formatDuration(value as number);
    case 'seconds':
      return `${value as number}s`;
    case 'rule':
      return formatPongMatch(value as PongMatch);
    case 'json':
      return JSON.stringify(value);
    case 'list':
      return (value as string[]).join(', ');
    case 'lines':
      return (value as string[]).join('\n');
    case 'headers':
      return Object.entries(value as Record<string, string>)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n');
    case 'replies':
      return (value as { match: PongMatch; send: string }[]).map(formatReplyLine).join('\n');
    case 'choice':
      return String(value);
    default:
      return String(value);
  }
}

/** The value at a dotted path of an object, or undefined. */
export function getPath(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Sets the value at a dotted path, making the objects on the way; undefined leaves the object as it is. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  const keys = path.split('.');
  let o = obj;
  for (const key of keys.slice(0, -1)) o = (o[key] ??= {}) as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

/** The setting a problem at `path` belongs to (heartbeat.match.pattern -> heartbeat.match; replies.2.send -> replies). */
export function settingAt<S extends Setting>(settings: readonly S[], path: string, prefix = ''): S | undefined {
  const general = path.replace(/\.\d+(?=\.|$)/g, '');
  for (let p = general; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const found = settings.find((s) => prefix + s.path === p);
    if (found) return found;
  }
  return undefined;
}
