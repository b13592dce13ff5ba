// The words every face shows about settings, made from their descriptions:
// the command line's --help, and the README's settings and options tables
// (a test checks the README against these, so they cannot drift).
import { protocolDefinition, type AppProtocolName } from '../app-protocols';
import { PRESETS } from '../presets';
import { ALL_SETTINGS, defaultOf } from './endpoint';
import { formatSetting, isMultiple, SETTING_GROUPS, type Setting } from './setting';

type Described = Setting & { protocol?: AppProtocolName };

/** Markdown to plain text for a terminal. */
const plain = (text: string) => text.replaceAll('`', '').replaceAll('**', '');

/** How a setting is given on the command line: `--ping-interval D`, `$WSMON_KEY_PASSPHRASE`, or null. */
export function cliForm(s: Setting): string | null {
  if (s.path === 'url') return 'positional';
  if (s.path === 'name') return 'name=URL';
  if (s.flag) return `--${s.flag}${s.arg ? ` ${s.arg}` : ''}`;
  if (s.env) return `$${s.env}`;
  return null;
}

/** The default in words: the schema's, as typed, else the description's words. */
export function defaultWords(s: Described, code = (t: string) => t): string {
  const value = defaultOf(s);
  if (value === undefined || value === null) return s.defaultText ?? 'none';
  return code(s.kind === 'toggle' ? String(value) : formatSetting(s, value));
}

const keyOf = (s: Setting) => s.flag ?? (s.env ? `$${s.env}` : null);

/**
 * The flags (and variables) that set endpoint settings, once each; one that
 * several protocols share (--user: MQTT's username, STOMP's login) says so.
 */
function flagged(): (Described & { protocols: AppProtocolName[]; what: string })[] {
  const out = new Map<string, Described & { protocols: AppProtocolName[]; what: string }>();
  for (const s of ALL_SETTINGS) {
    const key = keyOf(s);
    if (key === null) continue;
    const seen = out.get(key);
    if (!seen) out.set(key, { ...s, protocols: s.protocol ? [s.protocol] : [], what: s.help });
    else {
      seen.protocols.push(s.protocol!);
      seen.what = `${seen.what} or ${s.help.replace(/^the /, '')}`;
    }
  }
  return [...out.values()];
}

const whose = (s: { protocols: AppProtocolName[] }) => (s.protocols.length ? `${s.protocols.join(', ')}: ` : '');

/** The endpoint options of `wsmon watch --help` (and web, run), by group. */
export function optionsHelp(): string {
  const out: string[] = [];
  const options = flagged();
  for (const g of SETTING_GROUPS) {
    const rows = options.filter((s) => s.group === g.id);
    if (!rows.length) continue;
    out.push(`${g.id === 'basic' ? 'Endpoint' : g.label}:`);
    for (const s of rows) {
      const what = s.kind === 'toggle' && s.flagSets === false ? `do not ${plain(s.what)}` : plain(s.what);
      const def = s.kind === 'toggle' || s.defaultText === '— (required)' ? '' : ` (default ${plain(defaultWords(s))})`;
      out.push(`  ${`${cliForm(s)!}${isMultiple(s) ? ' …' : ''}`.padEnd(26)} ${whose(s)}${what}${def}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const md = (text: string) => text.replaceAll('|', '\\|');

/** The README's settings table: every setting, its flag, its default and what it does. */
export function settingsTable(): string {
  const rows = ALL_SETTINGS.map((s) => {
    const cli = cliForm(s);
    const flag = cli === null ? '—' : s.kind === 'toggle' ? `\`${cli}\` sets ${String(s.flagSets)}` : `\`${cli}\`${isMultiple(s) ? ' (repeatable)' : ''}`;
    const name = s.protocol ? `\`${s.path}\` (${s.protocol})` : `\`${s.path}\``;
    const meaning = `${s.secret ? 'a secret: ' : ''}${s.help}`;
    return `| ${name} | ${md(flag)} | ${md(defaultWords(s, (t) => `\`${t}\``))} | ${md(meaning)} |`;
  });
  return ['| setting | CLI | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The README's table of endpoint options on the command line, by group. */
export function optionsTable(): string {
  const rows = flagged().map((s) => {
    const label = s.protocols.length ? 'Protocol' : SETTING_GROUPS.find((g) => g.id === s.group)!.label;
    const what = s.kind === 'toggle' && s.flagSets === false ? `do not ${s.what}` : s.what;
    return `| ${md(`\`${cliForm(s)}\``)}${isMultiple(s) ? ' (repeatable)' : ''} | ${label} | ${md(`${whose(s)}${what}`)} |`;
  });
  return ['| option | group | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** A protocol's options in words, for an error: "--namespace, --auth". */
export function protocolFlags(name: AppProtocolName): string {
  return (protocolDefinition(name).settings as readonly Setting[]).map((s) => cliForm(s)!.split(' ')[0]).join(', ') || 'none';
}

/** The README's table of presets. */
export function presetsTable(): string {
  const rows = PRESETS.map((p) => `| \`${p.name}\`: ${md(p.label)} (\`${md(p.exampleUrl)}\`) | ${md(p.how)} |`);
  return ['| preset | how |', '| --- | --- |', ...rows].join('\n');
}
