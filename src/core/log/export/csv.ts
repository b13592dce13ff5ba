// One CSV row per event (RFC 4180 quoting). Control characters are escaped as
// in every text output, and cells that a spreadsheet would run as a formula are
// prefixed with ' : a server's close reason is not trusted.
import type { WsmonEvent } from '../../../shared/events';
import type { EndpointNames } from './filter';
import { printable } from '../../../shared/printable';
import { PHASE_KEYS } from '../../../shared/phases';

// New columns go at the end, so scripts reading the older ones by position keep working.
export const CSV_COLUMNS = [
  'time',
  'endpoint',
  'url',
  'type',
  'rttMs',
  'code',
  'reason',
  'attempt',
  'delayMs',
  'message',
  'handshakeMs',
  ...PHASE_KEYS,
  'networkRttMs',
  'networkRttVarMs',
] as const;

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(e: WsmonEvent, names: EndpointNames): string {
  const f = e as unknown as Record<string, unknown>;
  const phases = e.type === 'open' ? e.phases : undefined;
  const cells = [
    e.ts,
    names.name(e.endpoint),
    names.url(e.endpoint),
    e.type,
    f.rttMs,
    f.code,
    f.reason,
    f.attempt,
    f.delayMs,
    f.message,
    f.handshakeMs,
    ...PHASE_KEYS.map((k) => phases?.[k]),
    f.networkRttMs,
    f.networkRttVarMs,
  ];
  return `${cells.map(cell).join(',')}\r\n`;
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  // The one escaping of every text output: a server's ESC, BEL or U+202E is shown, never passed to a terminal raw.
  let s = printable(String(v));
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
