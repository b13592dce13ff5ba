// A peer in its own process, for tests that stall the monitor's own event loop:
// it keeps answering while the monitor cannot read. Each ping is answered 50 ms
// later as the path asks (/answer: its pong; /close: a close frame, 1001; /say:
// a text message, then the pong), and then the file named by ?flag= is created,
// so the stalled test knows the bytes are already in its socket. On
// /slow-upgrade the upgrade itself is answered 50 ms after its request (FLAG.req
// is created when the request comes, FLAG once the 101 is written). On /feed
// it sends a text message every 50 ms from the start, unasked, and creates
// FLAG after the first. Prints {"port":N} once listening.
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const flagOf = (url: string | undefined) => new URL(url ?? '/', 'http://peer').searchParams.get('flag')!;
const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  autoPong: false,
  verifyClient: ({ req }, done: (ok: boolean) => void) => {
    if (!req.url?.startsWith('/slow-upgrade')) return done(true);
    writeFileSync(`${flagOf(req.url)}.req`, '');
    setTimeout(() => done(true), 50);
  },
});
wss.on('listening', () => process.stdout.write(`${JSON.stringify({ port: (wss.address() as AddressInfo).port })}\n`));
wss.on('connection', (ws, req) => {
  const url = new URL(req.url ?? '/', 'http://peer');
  if (url.pathname === '/slow-upgrade') return writeFileSync(flagOf(req.url), '');
  if (url.pathname === '/feed') {
    const feed = setInterval(() => ws.send('data', () => writeFileSync(flagOf(req.url), '')), 50);
    ws.on('close', () => clearInterval(feed));
    return;
  }
  ws.on('ping', (data) =>
    setTimeout(() => {
      if (url.pathname === '/close') ws.close(1001, 'going away');
      else {
        if (url.pathname === '/say') ws.send('data');
        ws.pong(data);
      }
      writeFileSync(flagOf(req.url), '');
    }, 50),
  );
});
