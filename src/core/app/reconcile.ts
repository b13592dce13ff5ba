// Applies a new endpoint list to a running monitor (config reload): endpoints
// are matched by id (given, or derived from the name as the monitor would);
// unchanged ones keep their connection and history, changed ones are updated
// (reconnecting only if a connection setting changed), missing ones removed,
// new ones added.
import { canonicalJson, defaultName, type EndpointConfigInput } from '../../shared/config';
import type { ConfigEntry } from '../../shared/config-file';
import { redactUrl } from '../../shared/redact';
import { idFromName, type Monitor } from '../engine/monitor';

export interface ReconcileResult {
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

/** The id an input will have: its own, or one derived from its name (or URL). */
export function keyOf(input: EndpointConfigInput): string {
  if (input.id) return input.id;
  return idFromName(input.name?.trim() || defaultName(redactUrl(input.url.trim())));
}

/**
 * Work between two yields to the event loop: a reload of 10,000 endpoints is
 * ~0.3 s of comparing, and heartbeats due meanwhile must go out on time
 * (bench/reload.ts measures their send skew during a reload).
 */
export const SLICE_MS = 8;

/** Resolves at once while the current slice has time left, else after the event loop has run (timers, sockets). */
export function slicer(sliceMs = SLICE_MS): () => Promise<void> | void {
  let start = performance.now();
  return () => {
    if (performance.now() - start < sliceMs) return;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        start = performance.now();
        resolve();
      }),
    );
  };
}

/**
 * The settings each endpoint's config was last reconciled from, as their JSON:
 * a reload whose entry is the same text leaves it alone without settling it
 * again (the full comparison costs ~30 µs an endpoint: 0.3 s at 10,000). Keyed
 * by the config object, so a change made meanwhile (the window's edit) is a new
 * object and is compared in full.
 */
const appliedFrom = new WeakMap<object, string>();

/** Applies entries parsed where they entered (config-file.ts): ids are settled first, and a clash changes nothing. */
export async function reconcile(monitor: Monitor, entries: ConfigEntry[]): Promise<ReconcileResult> {
  const breathe = slicer();
  const seen = new Set<string>();
  const keyed = entries.map(({ input, settings }) => {
    const id = keyOf(input);
    if (seen.has(id)) throw new Error(`two endpoints have the id "${id}"; give them different names or ids`);
    seen.add(id);
    return { ...settings, id };
  });
  const result: ReconcileResult = { added: [], updated: [], unchanged: [], removed: [] };
  for (const id of monitor.ids().filter((id) => !seen.has(id))) {
    await monitor.remove(id);
    result.removed.push(id);
  }
  for (const input of keyed) {
    await breathe();
    const text = JSON.stringify(input);
    if (!monitor.has(input.id)) {
      monitor.add(input);
      appliedFrom.set(monitor.config(input.id), text);
      result.added.push(input.id);
      continue;
    }
    const current = monitor.config(input.id);
    if (appliedFrom.get(current) === text || canonicalJson(monitor.previewConfig(input)) === canonicalJson(current)) result.unchanged.push(input.id);
    else {
      monitor.update(input.id, input);
      result.updated.push(input.id);
    }
    appliedFrom.set(monitor.config(input.id), text);
  }
  return result;
}
