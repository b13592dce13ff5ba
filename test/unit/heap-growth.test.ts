import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWTH_FLAG } from '../../src/core/app/heap-growth';

const churn = fileURLToPath(new URL('../fixtures/heap-churn.mjs', import.meta.url));
/** The old space's largest size over what is live in it, in a program that allocates fast, with `flag` set once it runs. */
const ratio = (flag?: string): number =>
  (JSON.parse(execFileSync(process.execPath, ['--expose-gc', churn, ...(flag ? [flag] : [])], { encoding: 'utf8' })) as { ratio: number }).ratio;

describe('heap growth', () => {
  it('set at run time, the flag holds the heap near twice what is live where V8 alone lets it reach five times', () => {
    const bounded = ratio(HEAP_GROWTH_FLAG);
    const free = ratio();
    // Twice the live set, plus the young objects that reach the old space between two collections.
    expect(bounded).toBeLessThan(3.5);
    expect(free).toBeGreaterThan(bounded * 1.4);
  });
});
