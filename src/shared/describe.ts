// Events in words, for every face: the terminal, the window's event table, exports.
import type { WsmonEvent } from './events';
import { duration } from './format';
import { phasesText } from './phases';

/** What happened, in words. */
export function describeEvent(e: WsmonEvent): string {
  switch (e.type) {
    case 'session-start':
      return `${e.app} ${e.version} started`;
    case 'session-end':
      return `${e.app} ${e.version} stopped`;
    case 'endpoint-added':
    case 'endpoint-updated':
    case 'endpoint-removed':
      return e.url;
    case 'connecting':
      return e.attempt ? `attempt ${e.attempt}` : 'first attempt';
    case 'open':
      return `handshake ${e.handshakeMs.toFixed(1)} ms${e.phases ? ` (${phasesText(e.phases)})` : ''}${e.protocol ? ` · protocol ${e.protocol}` : ''}${e.proxy ? ` · via proxy ${e.proxy}` : ''}${e.appProtocol ? ` · ${e.appProtocol}` : ''}${e.negotiated ? `: ${e.negotiated}` : ''}`;
    case 'rtt':
      return `${e.rttMs.toFixed(2)} ms (${e.via} #${e.seq}${typeof e.networkRttMs === 'number' ? `, network${e.networkTo ? ' to proxy' : ''} ${e.networkRttMs.toFixed(2)} ms` : ''}${e.late ? ', late: already counted missed' : ''})`;
    case 'heartbeat-missed':
      return e.silence ? `silent past the deadline · ${e.missed} in a row` : `no answer to #${e.seq} · ${e.missed} in a row`;
    case 'stale':
      return `no data for ${(e.silentMs / 1000).toFixed(1)} s (expected every ${(e.expectedMs / 1000).toFixed(1)} s), still connected`;
    case 'fresh':
      return `data again after ${(e.silentMs / 1000).toFixed(1)} s`;
    case 'close':
      return `${e.code}${e.reason ? ` "${e.reason}"` : ''} by ${e.initiator}${e.wasClean ? '' : ' (not clean)'} · was up ${(e.uptimeMs / 1000).toFixed(1)} s`;
    case 'error':
      return errorWords(e, true);
    case 'reconnect-scheduled':
      return `attempt ${e.attempt} in ${(e.delayMs / 1000).toFixed(2)} s`;
    case 'gave-up':
      return `after ${e.attempts} attempts`;
    case 'stopped':
    case 'paused':
    case 'resumed':
      return `by ${e.by}`;
    case 'incident-start':
      return `incident ${e.incident}: ${e.cause}`;
    case 'incident-joined':
      return `part of incident ${e.incident}`;
    case 'incident-end':
      return `incident ${e.incident} over: ${e.count} endpoint${e.count === 1 ? '' : 's'} back after ${duration(e.durationMs)}`;
  }
}

/**
 * What failed an attempt, in words that stay the same from one attempt to the next when it fails the same way: an
 * error without how long its phase had run (the heartbeat bar's "down" ticks; the event keeps the time).
 */
export function failureWords(e: Extract<WsmonEvent, { type: 'error' | 'close' }>): string {
  return e.type === 'error' ? errorWords(e, false) : describeEvent(e);
}

function errorWords(e: Extract<WsmonEvent, { type: 'error' }>, timed: boolean): string {
  const where = e.inPhase ? ` (in ${e.inPhase}${timed ? `, after ${(e.phaseMs ?? 0).toFixed(1)} ms` : ''})` : '';
  return `${e.code} during ${e.phase}: ${e.message}${where}`;
}
