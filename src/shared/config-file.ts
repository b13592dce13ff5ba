// The endpoint list as a file: what the desktop app saves and exports, and
// what `wsmon web --config` and `wsmon run --config` read. Versioned so that
// older files can be migrated.
import { z } from 'zod';
import { maskSecrets } from './endpoint-secrets';
import { APP_PROTOCOL_SECRETS } from './app-protocols';
import { endpointConfigSchema, type EndpointConfig, type EndpointConfigInput, type EndpointSettings } from './config';
import { toProblems, type ConfigProblem } from './errors';
import { parseJsonText } from './json-text';
import { channelsSchema, type Channel, type ChannelInput } from './settings/channels';

export const CONFIG_FILE_VERSION = 1;

export const configFileSchema = z
  .object({
    version: z.literal(CONFIG_FILE_VERSION, { error: `version must be ${CONFIG_FILE_VERSION}` }),
    /** This probe's name on its metrics (`wsmon run`), when several probes report to one Prometheus. */
    probe: z
      .string()
      .regex(/^[^\x00-\x1f]{1,64}$/, { error: 'probe must be a name of 1 to 64 characters on one line' })
      .optional(),
    endpoints: z.array(endpointConfigSchema, { error: 'endpoints must be a list' }),
    /** Where notices go (`wsmon run`, `wsmon web --config`): settings/channels.ts. */
    channels: channelsSchema.optional(),
  })
  .strict();

export interface ConfigFile {
  version: typeof CONFIG_FILE_VERSION;
  probe?: string;
  endpoints: EndpointConfigInput[];
  channels?: ChannelInput[];
}

/** An endpoint of a file: what the user wrote (saved back as written, so a file stays short) and its settings, parsed once. */
export interface ConfigEntry {
  input: EndpointConfigInput;
  settings: EndpointSettings;
}

/** The entries of a list of endpoints that the file schema accepted: each as written and as parsed. */
export const entriesOf = (inputs: EndpointConfigInput[], parsed: EndpointSettings[]): ConfigEntry[] =>
  inputs.map((input, i) => ({ input, settings: parsed[i]! }));

export type ParsedConfigFile = { ok: true; entries: ConfigEntry[]; probe?: string; channels: Channel[] } | { ok: false; problems: ConfigProblem[] };

/** Parses the text of a config file; problems name the endpoint by its position and setting. */
export function parseConfigFile(text: string): ParsedConfigFile {
  const steps = checkConfigFile(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, checking the endpoints a slice at a time: `breathe` is awaited
 * after each (it yields to the event loop when its slice is spent), so a
 * reload of 10,000 endpoints does not hold heartbeats back (bench/reload.ts).
 */
export async function parseConfigFileSliced(text: string, breathe: () => Promise<void> | void): Promise<ParsedConfigFile> {
  const steps = checkConfigFile(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await breathe();
  }
}

/** The file's envelope, its endpoints left to be checked one by one. */
const envelopeSchema = configFileSchema.extend({ endpoints: z.array(z.unknown(), { error: 'endpoints must be a list' }) });

/** Checks a config file, yielding after each endpoint; returns the parsed file or every problem found. */
function* checkConfigFile(text: string): Generator<void, ParsedConfigFile> {
  const json = parseJsonText(text);
  if (!json.ok) return { ok: false, problems: [{ path: '', message: json.message }] };
  const r = envelopeSchema.safeParse(json.value);
  if (!r.success) return { ok: false, problems: toProblems(r.error) };
  const problems: ConfigProblem[] = [];
  const parsed: EndpointSettings[] = [];
  for (const [i, entry] of r.data.endpoints.entries()) {
    const e = endpointConfigSchema.safeParse(entry);
    if (e.success) parsed.push(e.data);
    else problems.push(...toProblems(e.error).map((p) => ({ ...p, path: `endpoints.${i}${p.path ? `.${p.path}` : ''}` })));
    yield;
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    entries: entriesOf((json.value as ConfigFile).endpoints, parsed),
    channels: r.data.channels ?? [],
    ...(r.data.probe !== undefined ? { probe: r.data.probe } : {}),
  };
}

/** The file for a set of endpoints, to share: header values, URL and proxy secrets and key passphrases are masked, protocol credentials left out (they must be entered again). */
export function toSharedConfigFile(configs: EndpointConfig[]): ConfigFile {
  return {
    version: CONFIG_FILE_VERSION,
    endpoints: configs.map((c) => ({
      ...maskSecrets(c),
      ...(c.appProtocol
        ? {
            appProtocol: Object.fromEntries(
              Object.entries(c.appProtocol).filter(([k]) => !(APP_PROTOCOL_SECRETS as readonly string[]).includes(k)),
            ) as typeof c.appProtocol,
          }
        : {}),
    })),
  };
}
