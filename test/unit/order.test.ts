import { describe, expect, it } from 'vitest';
import { holdOrder } from '../../src/renderer/src/lib/order';

describe('holding the list order', () => {
  it('keeps rows where they were, drops the gone and appends the new', () => {
    expect(holdOrder(['a', 'b', 'c'], ['c', 'a', 'b'])).toEqual(['a', 'b', 'c']);
    expect(holdOrder(['a', 'b', 'c'], ['d', 'c', 'a'])).toEqual(['a', 'c', 'd']);
    expect(holdOrder([], ['b', 'a'])).toEqual(['b', 'a']);
  });
});
