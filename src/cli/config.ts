// Reads a config file for the CLI; every problem is a usage error naming the file.
import { CONFIG_FILE_MAX_BYTES } from '../core/app/config-store';
import { FileGateError, readGated } from '../core/files/gate';
import type { EndpointSettings } from '../shared/config';
import { parseConfigFile, type ConfigEntry } from '../shared/config-file';
import { describeProblems, fileErrorText, UsageError } from '../shared/errors';
import type { Channel } from '../shared/settings/channels';

/** The whole file, parsed once: its endpoints (as written and as parsed), and the probe name if it names one. */
export function readConfig(path: string): { entries: ConfigEntry[]; probe?: string; channels: Channel[] } {
  let text: string;
  try {
    text = readGated(path, { what: 'config file', maxBytes: CONFIG_FILE_MAX_BYTES }).toString('utf8');
  } catch (e) {
    throw new UsageError(`--config: ${e instanceof FileGateError ? e.message : `cannot read "${path}" (${fileErrorText(e)})`}`);
  }
  const r = parseConfigFile(text);
  if (!r.ok) throw new UsageError(`--config: ${path}: ${describeProblems(r.problems)}`);
  return r;
}

/** The endpoints of a config file, parsed: for faces that add them at once. */
export function readConfigEndpoints(path: string): EndpointSettings[] {
  return readConfig(path).entries.map((e) => e.settings);
}
