import { describe, expect, it } from 'vitest';
import { SentBeats } from '../../src/core/engine/sent-beats';

describe('SentBeats', () => {
  it('holds each unanswered beat’s send time, oldest first, as beats are sent and answered in any order, past its first storage', () => {
    const b = new SentBeats();
    const held = new Map<number, number>();
    const same = () => {
      expect(b.size).toBe(held.size);
      expect(b.oldest()).toBe(held.keys().next().value);
      for (let seq = 0; seq <= 40; seq++) expect([b.has(seq), b.get(seq)]).toEqual([held.has(seq), held.get(seq)]);
    };
    // Beats 1–30, each answered at once, one in three two beats later, one in five never: the held ones wrap round and outgrow 4 slots.
    for (let seq = 1; seq <= 30; seq++) {
      b.add(seq, seq * 1000);
      held.set(seq, seq * 1000);
      const answered = seq % 3 === 0 ? seq - 2 : seq % 5 === 0 ? null : seq;
      if (answered !== null && held.has(answered)) {
        b.delete(answered);
        held.delete(answered);
      }
      same();
    }
    expect(b.size).toBeGreaterThan(4);
    // The oldest first, then one in the middle; a beat not held changes nothing.
    for (const seq of [b.oldest()!, [...held.keys()][2]!, 99]) {
      b.delete(seq);
      held.delete(seq);
      same();
    }
    b.clear();
    held.clear();
    same();
    b.add(31, 1);
    expect(b.oldest()).toBe(31);
  });
});
