// Reads a config file for the CLI; every problem is a usage error naming the file.
import { CONFIG_FILE_MAX_BYTES } from '../core/app/config-store';
import { FileGateError, readGated } from '../core/files/gate';
import type { EndpointSettings } from '../shared/config';
import { parseConfigFile, parseConfigFileSliced, type ConfigEntry, type ParsedConfigFile } from '../shared/config-file';
import { slicer } from '../core/app/reconcile';
import { describeProblems, fileErrorText, UsageError } from '../shared/errors';
import type { Channel } from '../shared/settings/channels';

type ReadConfig = { entries: ConfigEntry[]; probe?: string; channels: Channel[] };

/** The whole file, parsed once: its endpoints (as written and as parsed), and the probe name if it names one. */
export function readConfig(path: string): ReadConfig {
  return checked(path, parseConfigFile(configText(path)));
}

/** The same, its endpoints checked a slice at a time (a reload while heartbeats run: bench/reload.ts). */
export async function readConfigSliced(path: string): Promise<ReadConfig> {
  return checked(path, await parseConfigFileSliced(configText(path), slicer()));
}

function configText(path: string): string {
  try {
    return readGated(path, { what: 'config file', maxBytes: CONFIG_FILE_MAX_BYTES }).toString('utf8');
  } catch (e) {
    throw new UsageError(`--config: ${e instanceof FileGateError ? e.message : `cannot read "${path}" (${fileErrorText(e)})`}`);
  }
}

function checked(path: string, r: ParsedConfigFile): ReadConfig {
  if (!r.ok) throw new UsageError(`--config: ${path}: ${describeProblems(r.problems)}`);
  return r;
}

/** The endpoints of a config file, parsed: for faces that add them at once. */
export function readConfigEndpoints(path: string): EndpointSettings[] {
  return readConfig(path).entries.map((e) => e.settings);
}
