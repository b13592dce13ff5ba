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

/** Applies entries parsed where they entered (config-file.ts): ids are settled first, and a clash changes nothing. */
export async function reconcile(monitor: Monitor, entries: ConfigEntry[]): Promise<ReconcileResult> {
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
    if (!monitor.has(input.id)) {
      monitor.add(input);
      result.added.push(input.id);
      continue;
    }
    if (canonicalJson(monitor.previewConfig(input)) === canonicalJson(monitor.config(input.id))) result.unchanged.push(input.id);
    else {
      monitor.update(input.id, input);
      result.updated.push(input.id);
    }
  }
  return result;
}
