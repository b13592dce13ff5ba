// Exports a session log as JSON, CSV or an HTML report. Streams: the log is
// read line by line and written as it goes (the HTML report folds events into
// bounded recorders), so a log larger than memory exports.
import { once } from 'node:events';
import { statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { emptyReadResult, readSessionLog, sessionFiles, type ReadResult } from '../session-log';
import { EndpointRecorder } from '../../record/recorder';
import { EventsPool } from '../../record/recent-events';
import type { ExportFormat } from '../../../shared/export-format';
import { jsonLine } from '../../../shared/printable';
import { redactFields, redactSecretShapes } from '../../../shared/redact';
import { csvHeader, csvRow } from './csv';
import { EndpointNames, keep, type ExportFilter } from './filter';
import { htmlReport } from './html';

export interface ExportResult {
  /** Events written (after the filter). */
  events: number;
  /** What was read: generations, skipped lines, completeness. */
  read: ReadResult;
}

export interface ExportOptions extends ExportFilter {
  format: ExportFormat;
  /** Called now and then with the fraction of the log read (0..1). */
  progress?: (fraction: number) => void;
}

export async function exportLog(path: string, out: Writable, opts: ExportOptions): Promise<ExportResult> {
  const read = emptyReadResult();
  // Checked before anything is written: a log that cannot be read leaves the output empty.
  const size = Math.max(
    1,
    sessionFiles(path).reduce((sum, f) => sum + statSync(f).size, 0),
  );
  const names = new EndpointNames();
  const recorders = new Map<string, EndpointRecorder>();
  const events = new EventsPool();
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let count = 0;
  let bytes = 0;
  let startWall: number | null = null;
  let lastWall = 0;
  let lastMono = 0;
  let ended = false;
  // The report's span is the session's (within --from/--to), whatever --endpoint keeps: uptime is over the same time.
  const inSpan = { from: opts.from, to: opts.to };
  if (opts.format === 'json') await write('[\n');
  if (opts.format === 'csv') await write(csvHeader());
  for await (const raw of readSessionLog(path, read)) {
    // Whoever wrote the log (an older wsmon, another tool), its text passes the redactor on the way out.
    const e = redactFields(raw, redactSecretShapes);
    const line = jsonLine(e);
    bytes += Buffer.byteLength(line) + 1;
    names.see(e);
    if (keep(e, inSpan, names)) {
      startWall ??= Date.parse(e.ts) - e.mono;
      lastWall = Date.parse(e.ts);
      lastMono = e.mono;
      if (e.type === 'session-end') ended = true;
      else if (e.type === 'session-start') ended = false;
    }
    if (!keep(e, opts, names)) continue;
    if (opts.format === 'json') await write(`${count ? ',\n' : ''}${line}`);
    else if (opts.format === 'csv') await write(csvRow(e, names));
    else if (e.endpoint !== undefined) {
      let r = recorders.get(e.endpoint);
      if (!r) recorders.set(e.endpoint, (r = new EndpointRecorder(e.endpoint, undefined, events)));
      // The endpoint may have been announced before the --from bound.
      r.name ||= names.name(e.endpoint);
      r.url ||= names.url(e.endpoint);
      r.apply(e);
    }
    count++;
    if (opts.progress && count % 5000 === 0) opts.progress(Math.min(1, bytes / size));
  }
  if (opts.format === 'json') await write('\n]\n');
  if (opts.format === 'html') {
    await write(htmlReport({ startWall: startWall ?? 0, endWall: lastWall, source: path, read, ended }, [...recorders.values()], lastMono));
  }
  opts.progress?.(1);
  return { events: count, read };
}
