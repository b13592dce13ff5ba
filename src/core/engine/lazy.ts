// Packages only some sessions need — a protocol's packet parser, the metrics
// library — are loaded the first time one does. Loaded at start, they cost
// `wsmon watch` ~140 ms before its first heartbeat (bench/start). CommonJS
// packages only: require() of an ES module is not available in Node 20.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** The package `name`, loaded on the first call. */
export function lazy<T>(name: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= load(name) as T);
}
