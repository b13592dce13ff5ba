// What an application protocol is, in one file each (shared/app-protocols/):
// its name and label, the subprotocols it asks for, its options (a schema and
// their descriptions as settings), and what it does to the URL. Its driver,
// the code that speaks it, is in core/engine/protocols/; the engine's map of
// drivers is typed over the names here, so a definition without a driver does
// not compile.
import { z } from 'zod';
import { jsonWithinBound } from '../limits';
import type { Setting } from '../settings/setting';

/** Where the CLI reads a protocol's password or passcode: not a flag, which every user can read in the process list. */
export const APP_PASSWORD_ENV = 'WSMON_APP_PASSWORD';

export interface AppProtocolDefinition<N extends string = string, S extends z.ZodObject = z.ZodObject> {
  name: N;
  /** In words, with the versions spoken: "Socket.IO 3/4 (Engine.IO 4)". */
  label: string;
  /** Offered when the endpoint names no subprotocol. */
  subprotocols: readonly string[];
  /** Its options, `name` included, checked where settings enter. */
  schema: S;
  /** Its options described as settings (paths within appProtocol): form fields, flags, README rows, secrets. */
  settings: readonly Setting[];
  /** Where it really connects, from the URL given (Socket.IO: a bare origin becomes its endpoint path). */
  settleUrl?: (url: string) => string;
  /** A rule across its options and the endpoint's other settings; the problem in words, at a path of the endpoint. */
  check?: (options: z.output<S>, endpoint: { heartbeat: { intervalMs: number } }) => { path: string; message: string } | null;
}

/** Checks a definition's shape where it is written (and keeps its literal name type). */
export function defineProtocol<N extends string, S extends z.ZodObject>(d: AppProtocolDefinition<N, S>): AppProtocolDefinition<N, S> {
  return d;
}

/** A protocol option that is a JSON object (a Socket.IO auth payload …), at most LIMITS.jsonChars as JSON. */
export const jsonObject = (what: string) =>
  z.record(z.string(), z.unknown(), { error: `${what} must be a JSON object such as {"token": "…"}` }).superRefine(jsonWithinBound(what));
