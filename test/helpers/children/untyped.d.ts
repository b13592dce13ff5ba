// Servers from npm that ship no types; the protocol-servers child uses a small part of each.
declare module 'stomp-broker-js' {
  import type { Server } from 'node:http';
  export default class StompServer {
    constructor(config: { server: Server; path?: string; heartbeat?: [number, number]; heartbeatErrorMargin?: number });
    setMiddleware(command: 'connect', handler: (socket: unknown, args: { headers: Record<string, string> }, next: () => boolean) => boolean): void;
  }
}

// rpc-websockets ships types, but its package exports hide them from this resolution mode.
declare module 'rpc-websockets' {
  export class Server {
    constructor(options: { port: number; host: string });
    register(name: string, fn: () => unknown): void;
    on(event: 'listening', listener: () => void): void;
  }
}
