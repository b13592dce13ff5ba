// Real servers of each protocol, from npm, in one process on 127.0.0.1, with
// their own timeouts short so a test lives through several of them. The
// parent stops this process with SIGSTOP to make every one of them a dead
// peer at once. Prints one JSON line of ports, then serves until killed.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { Server as RpcServer } from 'rpc-websockets';
import { Server as IoServer } from 'socket.io';
import StompServer from 'stomp-broker-js';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { SERVER_TIMING } from './protocol-servers-timing';

const listen = (server: HttpServer) => new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));

async function socketio(): Promise<number> {
  const http = createServer();
  const io = new IoServer(http, {
    pingInterval: SERVER_TIMING.socketioPingInterval,
    pingTimeout: SERVER_TIMING.socketioPingTimeout,
    connectTimeout: 1000,
    transports: ['websocket'],
  });
  io.of('/').on('connection', () => {});
  // A namespace that checks credentials, as real deployments do.
  io.of('/secure').use((socket, next) => (socket.handshake.auth?.token === 'right' ? next() : next(new Error('invalid token'))));
  io.of('/feed').on('connection', (socket) => {
    const t = setInterval(() => socket.emit('tick', Date.now()), 100);
    socket.on('disconnect', () => clearInterval(t));
  });
  return listen(http);
}

async function graphql(): Promise<number> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  const schema = buildSchema('type Query { hello: String }');
  useServer(
    {
      schema,
      roots: { query: { hello: () => 'world' } },
      connectionInitWaitTimeout: SERVER_TIMING.graphqlInitWait,
      onConnect: (ctx) => (ctx.connectionParams?.token === 'wrong' ? false : true),
    },
    wss,
  );
  return listen(http);
}

async function mqtt(): Promise<number> {
  const broker = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      if (username === 'intruder') {
        const err = Object.assign(new Error('bad user name or password'), { returnCode: 4 });
        return done(err as Error & { returnCode: 4 }, false);
      }
      done(null, true);
    },
  });
  const http = createServer();
  const wss = new WebSocketServer({ server: http, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
  wss.on('connection', (ws, req) => broker.handle(createWebSocketStream(ws) as never, req));
  return listen(http);
}

async function stomp(): Promise<number> {
  const http = createServer();
  const server = new StompServer({
    server: http,
    path: '/stomp',
    heartbeat: [SERVER_TIMING.stompHeartbeat, SERVER_TIMING.stompHeartbeat],
    heartbeatErrorMargin: 100,
  });
  server.setMiddleware('connect', (socket: unknown, args: { headers: Record<string, string> }, next: () => boolean) =>
    args.headers.login === 'intruder' ? false : next(),
  );
  return listen(http);
}

async function jsonRpc(): Promise<number> {
  const http = createServer();
  const port = await listen(http);
  http.close();
  const server = new RpcServer({ port, host: '127.0.0.1' });
  server.register('ping', () => 'pong');
  await new Promise<void>((r) => server.on('listening', () => r()));
  return port;
}

const ports = { socketio: await socketio(), graphql: await graphql(), mqtt: await mqtt(), stomp: await stomp(), jsonRpc: await jsonRpc() };
process.stdout.write(`${JSON.stringify(ports)}\n`);
