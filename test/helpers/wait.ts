// The one polling loop of the tests: wait for something to become true,
// never for a fixed time, with a timeout that says what was awaited.

export interface WaitOptions {
  timeoutMs?: number;
  /** How often to look. */
  everyMs?: number;
}

/** Reads until `ok` accepts what was read (a read that throws counts as not yet), and returns it. */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  ok: (v: T) => boolean,
  what: string | (() => string),
  { timeoutMs = 5000, everyMs = 5 }: WaitOptions = {},
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve()
      .then(read)
      .catch(() => undefined);
    if (v !== undefined && ok(v as T)) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until `cond` holds. */
export async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  await waitFor(cond, (v) => v, what, { timeoutMs });
}
