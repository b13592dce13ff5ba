// Reads a config file for the CLI; every problem is a usage error naming the file.
import { FileGateError, readGated } from '../core/files/gate';
import { validateEndpoint, type EndpointConfigInput, type EndpointSettings } from '../shared/config';
import { parseConfigFile } from '../shared/config-file';
import { describeProblems, fileErrorText, UsageError } from '../shared/errors';

/** A config file of 10,000 endpoints is about 3 MiB. */
const CONFIG_FILE_MAX_BYTES = 32 * 1024 * 1024;

/** The endpoints as written (a reload compares and saves what the user wrote). */
export function readConfigFile(path: string): EndpointConfigInput[] {
  return readConfig(path).endpoints;
}

/** The whole file: endpoints as written, and the probe name if it names one. */
export function readConfig(path: string): { endpoints: EndpointConfigInput[]; probe?: string } {
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
  return readConfigFile(path).map((e, n) => {
    const r = validateEndpoint(e);
    if (!r.ok) throw new UsageError(`--config: ${path}: endpoint ${n + 1}: ${describeProblems(r.problems)}`);
    return r.value;
  });
}
