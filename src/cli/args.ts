// Command-line options -> engine settings. Every mistake becomes one sentence
// that names the flag, and exit code 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { APP_PROTOCOLS, type AppProtocolName } from '../shared/app-protocols';
import { urlProblem, validateEndpoint, type EndpointConfigInput, type EndpointSettings } from '../shared/config';
import { parseDuration } from '../shared/duration';
import { UsageError, type ConfigProblem } from '../shared/errors';
import { cliForm, protocolFlags } from '../shared/settings/docs';
import { CHANNEL_KINDS, parseChannelFlag, SMTP_PASSWORD_ENV, type Channel } from '../shared/settings/channels';
import { DEFAULT_SETTINGS, HISTORY_DAYS, type HistoryDays } from '../shared/settings/app';
import { ALL_SETTINGS, ENDPOINT_SETTINGS, protocolSettings } from '../shared/settings/endpoint';
import { getPath, isMultiple, parseSetting, setPath, settingAt, type Setting } from '../shared/settings/setting';

/** Options that shape every endpoint, shared by `watch`, `web` and `run`: one per described setting with a flag. */
export const ENDPOINT_OPTIONS = Object.fromEntries(
  ALL_SETTINGS.filter((s) => s.flag !== undefined).map((s) => [
    s.flag!,
    s.kind === 'toggle' ? { type: 'boolean' as const } : { type: 'string' as const, ...(isMultiple(s) ? { multiple: true as const } : {}) },
  ]),
) as Record<string, { type: 'string' | 'boolean'; multiple?: true }>;

/** Options of every command that runs a session. */
export const SESSION_OPTIONS = {
  json: { type: 'boolean' },
  lines: { type: 'boolean' },
  log: { type: 'string' },
  'log-rtt': { type: 'string' },
  'history-days': { type: 'string' },
  duration: { type: 'string' },
  metrics: { type: 'string' },
  'secret-name': { type: 'string', multiple: true },
  probe: { type: 'string' },
  frames: { type: 'boolean' },
  'frames-out': { type: 'string' },
  channel: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The --history-days line of a command's help, from the one list of choices. */
export const HISTORY_DAYS_HELP = `  --history-days ${HISTORY_DAYS.join('|')}   how far back each endpoint's history reaches, in days (default ${DEFAULT_SETTINGS.historyDays});
                             fewer days hold less memory per endpoint (README: Months of history)`;

/** --history-days's value (undefined: not given), or a UsageError that names the choices. */
export function historyDaysFlag(value: string | undefined): HistoryDays | undefined {
  if (value === undefined) return undefined;
  const days = HISTORY_DAYS.find((d) => String(d) === value);
  if (days === undefined) throw new UsageError(`--history-days must be one of ${HISTORY_DAYS.join(', ')} (got "${value}")`);
  return days;
}

/** The --channel lines of a command's help, from the channels' one description. */
export const CHANNEL_HELP = `  --channel KIND=URL         also send notices there (repeatable): KIND one of ${CHANNEL_KINDS.join(', ')};
                             e-mail: smtp://user@host:port?from=A&to=B, its password in $${SMTP_PASSWORD_ENV}`;

/** --channel KIND=URL flags, parsed (an e-mail channel's password from the environment). */
export function channelFlags(values: string[] | undefined, env: Record<string, string | undefined> = process.env): Channel[] {
  return (values ?? []).map((text) => {
    const r = parseChannelFlag(text, env[SMTP_PASSWORD_ENV]);
    if (!r.ok) throw new UsageError(r.message);
    return r.channel;
  });
}

/** "HOST:PORT", ":PORT" or "PORT" (host defaults to 127.0.0.1; port 0 picks a free one). */
export function hostPortFlag(flag: string, text: string): { host: string; port: number } {
  const m = /^(?:\[?([^\]]*?)\]?:)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new UsageError(`${flag} takes HOST:PORT, :PORT or PORT, such as 127.0.0.1:9464 (got "${text}")`);
  return { host: m[1] || '127.0.0.1', port };
}

/** Options whose value may be left out, and what they then mean: `--web` alone serves on a free loopback port. */
const BARE_VALUE: Record<string, string> = { web: '127.0.0.1:0' };

export function parseCli<O extends ParseArgsConfig['options']>(argv: string[], options: O) {
  const args = argv.flatMap((a, i) => {
    const bare = a.startsWith('--') ? BARE_VALUE[a.slice(2)] : undefined;
    return bare !== undefined && a.slice(2) in (options ?? {}) && (i + 1 >= argv.length || argv[i + 1]!.startsWith('-')) ? [a, bare] : [a];
  });
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const flag = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const near = flag ? nearest(flag.replace(/^-+/, ''), Object.keys(options ?? {})) : null;
      throw new UsageError(`unknown option ${flag ?? ''}${near ? ` (did you mean --${near}?)` : ''}`.trim());
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`option ${flag ?? ''} needs a value`.replace('  ', ' '));
    throw new UsageError(err.message);
  }
}

/** Edit distance (insertions, deletions, substitutions) between two short words. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The option a mistyped one most likely meant (a typo, or the start of a longer name with a slip), if one is close. */
function nearest(typed: string, names: string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of names) {
    const d = Math.min(distance(typed, name), distance(typed, name.slice(0, typed.length)) + 1);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= (typed.length <= 3 ? 1 : 2) ? best.name : null;
}

export function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`${flag} takes a duration such as 250ms, 5s or 2m (got "${text}")`);
  return ms;
}

export function portFlag(text: string | undefined): number {
  const port = text === undefined ? 0 : Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number 0-65535 (got "${text}")`);
  return port;
}

type Flags = Record<string, string | string[] | boolean | undefined>;

/** How a person gave a setting on the command line, for messages: --ping-interval, or $WSMON_KEY_PASSPHRASE. */
const given = (s: Setting) => (s.flag ? `--${s.flag}` : `$${s.env}`);

/**
 * Builds the endpoint settings the flags describe (without url), from the
 * settings' descriptions: each flag's text parsed as its kind says, secrets
 * read from their environment variables, a protocol's options only with it.
 */
export function endpointTemplate(v: Flags, env: Record<string, string | undefined> = process.env): Omit<EndpointConfigInput, 'url'> {
  const t: Record<string, unknown> = {};
  const apply = (s: Setting) => {
    const fromFlag = s.flag !== undefined ? v[s.flag] : undefined;
    const input = fromFlag ?? (s.env !== undefined ? env[s.env] : undefined);
    if (input === undefined || (Array.isArray(input) && !input.length)) return;
    if (s.requires && getPath(t, s.requires) === undefined) {
      // A secret from the environment waits for what it belongs to; a flag alone is a mistake worth naming.
      if (fromFlag === undefined) return;
      const needed = ALL_SETTINGS.find((o) => o.path === s.requires)!;
      throw new UsageError(`${given(s)} goes with ${cliForm(needed)} (${needed.help.replaceAll('`', '').replaceAll('**', '')})`);
    }
    // A toggle's flag sets what its description says (--insecure: rejectUnauthorized false).
    const r = parseSetting(s, typeof input === 'boolean' ? (s.flagSets ?? input) : input);
    if (!r.ok) throw new UsageError(`${given(s)} ${r.problem} (got "${r.got}")`);
    setPath(t, s.path, r.value);
  };
  for (const s of ENDPOINT_SETTINGS) apply(s);
  const protocol = (t.appProtocol as { name?: AppProtocolName } | undefined)?.name;
  const own = new Set(protocol ? protocolSettings(protocol).map((s) => s.flag) : []);
  const stray = ALL_SETTINGS.find((s) => s.protocol && s.flag && v[s.flag] !== undefined && !own.has(s.flag));
  if (stray) {
    throw new UsageError(
      protocol
        ? `--${stray.flag} does not apply to --app-protocol ${protocol} (its options: ${protocolFlags(protocol)})`
        : `--${stray.flag} goes with --app-protocol (${APP_PROTOCOLS.join(', ')})`,
    );
  }
  if (protocol) for (const s of protocolSettings(protocol)) apply(s);
  return t as Omit<EndpointConfigInput, 'url'>;
}

/** `name=ws://...` names an endpoint; a bare URL is named after its host and path. */
export function splitNamedUrl(arg: string): { name?: string; url: string } {
  const m = /^([^=:/]+)=(wss?:\/\/.*)$/i.exec(arg);
  return m ? { name: m[1]!.trim(), url: m[2]! } : { url: arg };
}

/** The first config problem as a usage error naming the flag (or variable) the setting came from. */
export function usageFromProblems(problems: ConfigProblem[]): UsageError {
  const p = problems[0]!;
  const s = settingAt(ALL_SETTINGS, p.path);
  const from = s && (s.flag || s.env) ? given(s) : null;
  return new UsageError(from ? `${from}: ${p.message}` : p.path ? `${p.path}: ${p.message}` : p.message);
}

/** Parses each URL with the template, once: the engine takes the result. */
export function endpointsFromCli(args: string[], template: Omit<EndpointConfigInput, 'url'>): EndpointSettings[] {
  return args.map((arg) => {
    const { name, url } = splitNamedUrl(arg);
    const problem = urlProblem(url);
    if (problem) throw new UsageError(problem);
    const r = validateEndpoint({ ...template, url, ...(name ? { name } : {}) });
    if (!r.ok) throw usageFromProblems(r.problems);
    return r.value;
  });
}
