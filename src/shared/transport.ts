// How MonitorApi travels: a raw transport (Electron IPC through the preload, or
// the web bridge's WebSocket) wrapped into the typed API the renderer uses.
// The IPC channel names are written here once, for main and preload alike.
import type { ApiInput, ApiOutput, Envelope, Method, Push } from './api';
import { WsmonError } from './errors';

/** The Electron IPC channel a method's calls travel on. */
export const methodChannel = (method: Method): string => `wsmon:${method}`;
/** The Electron IPC channel pushes (updates and window commands) travel on: main sends, preload listens. */
export const PUSH_CHANNEL = 'wsmon:push';

/** The API as a screen uses it. */
export interface MonitorApi {
  call<M extends Method>(method: M, payload: ApiInput<M>): Promise<ApiOutput<M>>;
  /** Batched updates and window commands; returns the unsubscribe function. */
  subscribe(listener: (push: Push) => void): () => void;
}

/** What a transport provides: a raw call that answers with an envelope, and pushes. */
export interface RawTransport {
  call(method: string, payload: unknown): Promise<Envelope>;
  subscribe(listener: (push: Push) => void): () => void;
}

/** Wraps a transport into the typed API: unwraps envelopes, throws WsmonError. */
export function apiOver(transport: RawTransport): MonitorApi {
  return {
    async call(method, payload) {
      const answer = await transport.call(method, payload);
      if (!answer.ok) throw WsmonError.from(answer.error);
      return answer.result as never;
    },
    subscribe: (listener) => transport.subscribe(listener),
  };
}
