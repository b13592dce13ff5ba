// A peer in its own process, for tests that stall the monitor's own event loop:
// it keeps answering while the monitor cannot read. Each ping is answered 50 ms
// later as the path asks (/answer: its pong; /close: a close frame, 1001; /say:
// a text message, then the pong), and then the file named by ?flag= is created,
// so the stalled test knows the bytes are already in its socket. Prints
// {"port":N} once listening.
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
wss.on('listening', () => process.stdout.write(`${JSON.stringify({ port: (wss.address() as AddressInfo).port })}\n`));
wss.on('connection', (ws, req) => {
  const url = new URL(req.url ?? '/', 'http://peer');
  ws.on('ping', (data) =>
    setTimeout(() => {
      if (url.pathname === '/close') ws.close(1001, 'going away');
      else {
        if (url.pathname === '/say') ws.send('data');
        ws.pong(data);
      }
      writeFileSync(url.searchParams.get('flag')!, '');
    }, 50),
  );
});
