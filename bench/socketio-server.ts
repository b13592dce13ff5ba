// A real Socket.IO 4 server (from npm) in its own process, with its default
// heartbeat (ping every 25 s, 20 s timeout), for bench/protocols.ts. Prints
// its URL, serves until stdin closes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { transports: ['websocket'] });
io.on('connection', () => {});
await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
process.stdout.write(`${JSON.stringify({ url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/` })}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
