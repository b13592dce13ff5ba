// How far V8 lets the heap grow past what the last full collection found
// live, in the process that holds the engine (the CLI's and Electron's main).
// V8 picks the factor itself, up to 4× when the program allocates fast. A
// fleet that is down allocates fast: every refused attempt is a request, a
// socket and their events, all garbage a second later. 10,000 such endpoints
// held 130-160 MB live and 610-690 MB resident at the default, and 390-400 MB
// at 2×; after two minutes, 640-709 MB against 400-454 MB, for 7 % more CPU
// (one pair; two pairs of 38 s could not tell them apart). What allocates fast
// while its live set grows pays in time: an import of 30,000 endpoints took
// about a sixth longer (BENCHMARKS.md, Import). V8 reads the flag each time
// it sets the next limit, so it holds from here on.
import { setFlagsFromString } from 'node:v8';

/** The heap may grow to twice what was live after a full collection before the next. */
export const HEAP_GROWTH_FLAG = '--heap-growing-percent=100';

export function boundHeapGrowth(): void {
  setFlagsFromString(HEAP_GROWTH_FLAG);
}
