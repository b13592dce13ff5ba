// The heartbeat bar's words: each tick on hover, and the whole bar for a screen reader.
import { ms } from '../../../shared/format';
import { BEAT_KINDS, type BeatKind, type BeatTick } from '../../../shared/status';
import { clockTime } from './format';

export function beatText(b: BeatTick, wallOf: (mono: number) => number, rttAlertMs: number): string {
  const at = clockTime(wallOf(b.t));
  switch (b.kind) {
    case 'ok':
      return `${at} · answered in ${ms(b.rttMs)}`;
    case 'slow':
      return `${at} · slow: ${ms(b.rttMs)} (alert above ${ms(rttAlertMs)})`;
    case 'late':
      return `${at} · late: answered after ${ms(b.rttMs)}, past its timeout (counted missed)`;
    case 'missed':
      return `${at} · missed: ${b.why ?? 'no answer within the timeout'}`;
    case 'down':
      return `${at} · down: ${b.why ?? 'the connection failed'}`;
  }
}

const WORDS: Record<BeatKind, string> = { ok: 'answered', slow: 'slow', late: 'late', missed: 'missed', down: 'failed connections' };

/** "28 answered, 2 missed" over the ticks shown, or that there are none yet. */
export function beatSummary(beats: BeatTick[]): string {
  if (beats.length === 0) return 'none yet';
  return BEAT_KINDS.map((k) => [k, beats.filter((b) => b.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${WORDS[k]}`)
    .join(', ');
}
