// A protocol chosen in the window: a real Socket.IO 4 server (from npm) in
// this process, an endpoint added through the form with the Socket.IO
// protocol, its namespace and auth; the endpoint page says what the handshake
// settled, and a wrong token is shown in the server's words. And a preset
// chosen in the form, against a lab peer that speaks its service.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { Server } from 'socket.io';
import { Lab } from '../../src/lab/server';
import { openGroup, startWeb, watchProblems, type WebApp } from './web';

let http: HttpServer;
let io: Server;
let origin: string;
let web: WebApp;
let lab: Lab;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  http = createServer();
  io = new Server(http, { transports: ['websocket'], pingInterval: 500, pingTimeout: 400 });
  io.of('/secure').use((socket, next) => (socket.handshake.auth?.token === 'right' ? next() : next(new Error('invalid token'))));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  origin = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  web = await startWeb(['--ping-interval', '300ms', '--ping-timeout', '250ms', '--backoff-initial', '5s']);
  lab = await new Lab().start();
});

test.afterAll(async () => {
  await web.stop();
  io.close();
  await lab.stop();
});

async function addSocketIo(page: Page, name: string, token: string): Promise<void> {
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByLabel('URL', { exact: true }).fill(origin);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Application protocol').selectOption('socketio');
  await page.getByLabel('Namespace', { exact: true }).fill('/secure');
  await page.getByLabel('Auth payload', { exact: true }).fill(JSON.stringify({ token }));
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

test('a Socket.IO endpoint added through the form joins its namespace; a wrong token is refused in the server’s words', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(web.url);
  await addSocketIo(page, 'chat', 'right');
  await expect(page.locator('button[data-endpoint="chat"] .badge')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('app-protocol')).toHaveText(
    'Socket.IO 3/4 (Engine.IO 4): namespace /secure joined; the server pings every 0.5 s and waits 0.4 s for the answer',
  );
  await expect(page.locator('.url')).toContainText('/socket.io/?EIO=4&transport=websocket');

  await addSocketIo(page, 'intruder', 'wrong');
  await expect(page.locator('.last-error')).toHaveText('Last error: SOCKETIO_CONNECT_ERROR — Socket.IO refused to join namespace /secure: "invalid token"');
  await expect(page.locator('button[data-endpoint="intruder"] .badge')).not.toHaveAttribute('data-state', 'open');
  expect(problems).toEqual([]);
});

test('a preset chosen in the form fills the form with its settings; the endpoint it adds speaks the service (Pusher, against a lab peer)', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByLabel('URL', { exact: true }).fill(lab.url('/app/key', { speaks: 'pusher' }));
  await page.getByLabel('Name', { exact: true }).fill('pusher');
  await page.getByLabel('Preset', { exact: true }).selectOption('pusher');
  await expect(page.getByLabel('Heartbeat mode', { exact: true })).toHaveValue('message');
  await page.getByLabel('Interval', { exact: true }).fill('300ms');
  await openGroup(page, 'Timeouts and backoff');
  await page.getByLabel('Timeout', { exact: true }).fill('250ms');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'pusher' })).toBeVisible();
  await expect(page.locator('button[data-endpoint="pusher"] .badge')).toHaveAttribute('data-state', 'open');
  expect(problems).toEqual([]);
});
