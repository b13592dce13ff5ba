// SIGHUPs that bin/wsmon.js held while the CLI was loading (Node's default would
// have killed the process). `wsmon run` takes them over as a reload; every
// other command gives SIGHUP its default meaning back.

interface Held {
  hups: number;
  release(): void;
}

/** Stops holding; returns how many SIGHUPs came meanwhile. Call after installing your own handler. */
export function takeHeldHups(): number {
  const held = (globalThis as { wsmonHeldSignals?: Held }).wsmonHeldSignals;
  if (!held) return 0;
  held.release();
  (globalThis as { wsmonHeldSignals?: Held }).wsmonHeldSignals = undefined;
  return held.hups;
}

/** For commands that do not reload: SIGHUP means what it always meant (a hangup ends the process, exit 129). */
export function restoreHangup(): void {
  if (takeHeldHups() > 0) process.kill(process.pid, 'SIGHUP');
}
