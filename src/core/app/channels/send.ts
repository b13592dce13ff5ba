// One attempt to deliver to one channel: a POST for the HTTP kinds, an e-mail
// over SMTP (nodemailer) for the e-mail kind. Bounded in time; a failure is
// one sentence that names the channel by its host, never its secret address.
import type * as Nodemailer from 'nodemailer';
import { APP_NAME, APP_VERSION } from '../../../shared/app';
import { printable } from '../../../shared/printable';
import { redactorFor, redactSecretShapes } from '../../../shared/redact';
import type { Channel } from '../../../shared/settings/channels';
import { lazy } from '../../engine/lazy';
import { outgoing, type AlertMessage } from './messages';

// Loaded by the first e-mail: most sessions send none.
const nodemailer = lazy<typeof Nodemailer>('nodemailer');

export class DeliveryError extends Error {}

/** Sends `m` to `channel`; throws DeliveryError saying why not. `signal` ends it early (the session stops). */
export async function sendTo(channel: Channel, m: AlertMessage, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const url = new URL(channel.url);
  if (channel.kind === 'email') return sendMail(channel, url, m, timeoutMs);
  // ntfy takes a JSON publish at the server's root, naming the topic (headers could not carry every title).
  const topic = url.pathname.replace(/^\/|\/$/g, '');
  const target = channel.kind === 'ntfy' ? `${url.protocol}//${url.host}/` : channel.url;
  const out = outgoing(channel.kind, m, topic);
  const timeout = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': `${APP_NAME}/${APP_VERSION}` },
      body: JSON.stringify('json' in out ? out.json : null),
      // A webhook that redirects is not followed: the address was a secret, where it points is not ours to send to.
      redirect: 'manual',
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
  } catch (e) {
    if (timeout.aborted) throw new DeliveryError(`${url.host} did not answer within ${Math.round(timeoutMs / 100) / 10} s`);
    // undici's reason: a network error's code (ECONNREFUSED …), else its words ("bad port": fetch refuses some ports).
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryError(`${url.host} could not be reached (${printable(cause?.code ?? cause?.message ?? (e as Error).message).slice(0, 120)})`);
  }
  // Nothing the receiver says is read: only its status counts.
  await res.body?.cancel().catch(() => {});
  if (res.status < 200 || res.status > 299) throw new DeliveryError(`${url.host} answered HTTP ${res.status}`);
}

async function sendMail(channel: Channel, url: URL, m: AlertMessage, timeoutMs: number): Promise<void> {
  const out = outgoing('email', m);
  if (!('subject' in out)) throw new DeliveryError('no e-mail to send');
  const user = decodeURIComponent(url.username);
  const transport = nodemailer().createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(user ? { auth: { user, pass: channel.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({
      from: url.searchParams.get('from')!,
      to: url.searchParams.get('to')!.split(','),
      subject: out.subject,
      text: out.text,
    });
  } catch (e) {
    // The server's words may quote what it was sent: through the redactor, the password masked.
    const words = redactSecretShapes(redactorFor(channel.password ? [channel.password] : [])((e as Error).message));
    throw new DeliveryError(`${url.host}: ${printable(words).slice(0, 300)}`);
  } finally {
    transport.close();
  }
}
