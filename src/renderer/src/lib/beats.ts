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

/** "28 answered, 2 missed" over the ticks shown, with the share of their time spent down, or that there are none yet. */
export function beatSummary(beats: BeatTick[], nowMono: number): string {
  if (beats.length === 0) return 'none yet';
  const counts = BEAT_KINDS.map((k) => [k, beats.filter((b) => b.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${WORDS[k]}`)
    .join(', ');
  const down = downShare(beats, nowMono);
  return down > 0 ? `${counts}; down ${Math.round(down * 100)} % of that time` : counts;
}

/**
 * Where each tick lies on the bar, as fractions of its width: by time, from
 * the oldest tick to now, each tick lasting until the next. An outage with
 * few attempts in it is as wide as the time it lasted, so the bar never looks
 * healthier than the time it covers.
 */
export function beatSpans(beats: BeatTick[], nowMono: number): { from: number; to: number }[] {
  if (!beats.length) return [];
  const t0 = beats[0]!.t;
  // "Now" is a whole-second clock: never before the newest tick.
  const end = Math.max(nowMono, beats.at(-1)!.t);
  const span = Math.max(1, end - t0);
  return beats.map((b, i) => ({ from: (b.t - t0) / span, to: ((beats[i + 1]?.t ?? end) - t0) / span }));
}

/** The share of the bar's time spent down (failed connections until the next answered beat). */
export function downShare(beats: BeatTick[], nowMono: number): number {
  return beatSpans(beats, nowMono).reduce((sum, s, i) => sum + (beats[i]!.kind === 'down' ? s.to - s.from : 0), 0);
}
