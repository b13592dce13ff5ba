// `wsmon export <log>`: a session log as JSON, CSV or a self-contained HTML report.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { exportLog } from '../core/log/export';
import { FileGateError, writeStreamGated } from '../core/files/gate';
import { EXPORT_FORMATS, type ExportFormat } from '../shared/export-format';
import { describeRead, sessionFiles } from '../core/log/session-log';
import { parseCli } from './args';
import { UsageError } from '../shared/errors';

export const EXPORT_HELP = `usage: wsmon export <log.jsonl> --format ${EXPORT_FORMATS.join('|')} [-o FILE] [--from TIME] [--to TIME] [--endpoint NAME]

Exports a session log (written by --log or the desktop app). Streams: a log
larger than memory exports. TIME is an ISO-8601 time such as 2026-11-22T14:00:00Z.
Without -o the export goes to stdout.
`;

function timeFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UsageError(`${flag} takes an ISO-8601 time such as 2026-11-22T14:00:00Z (got "${text}")`);
  return t;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv, {
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    from: { type: 'string' },
    to: { type: 'string' },
    endpoint: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(EXPORT_HELP);
    return 0;
  }
  const [log, ...extra] = positionals;
  if (!log) throw new UsageError('export needs the session log to read (wsmon export --help)');
  if (extra.length) throw new UsageError(`export reads one log at a time (got also "${extra[0]}")`);
  const format = (values.format ?? 'json') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got "${values.format}")`);
  const filter = { from: timeFlag('--from', values.from), to: timeFlag('--to', values.to), endpoint: values.endpoint };
  let result;
  let out: Writable = process.stdout;
  try {
    // The log is checked first: one that cannot be read leaves no output file behind.
    sessionFiles(log);
    if (values.output) out = writeStreamGated(values.output, 'export file');
    result = await exportLog(log, out, { format, ...filter });
  } catch (e) {
    if (e instanceof FileGateError) throw new UsageError(e.message);
    throw e;
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  process.stderr.write(`wsmon export: ${result.events} events written${values.output ? ` to ${values.output}` : ''}; read ${describeRead(result.read)}\n`);
  return 0;
}
