// Reads a config file for the CLI; every problem is a usage error naming the file.
import { readFileSync } from 'node:fs';
import { describeProblems, type EndpointConfigInput } from '../shared/config';
import { parseConfigFile } from '../shared/config-file';
import { UsageError } from '../shared/errors';

export function readConfigFile(path: string): EndpointConfigInput[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: cannot read "${path}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const r = parseConfigFile(text);
  if (!r.ok) throw new UsageError(`--config: ${path}: ${describeProblems(r.problems)}`);
  return r.endpoints;
}
