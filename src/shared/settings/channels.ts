// Alert channels: where notices go beside the desktop notice (a webhook, a
// chat's incoming webhook, ntfy, e-mail). Described once here: the kinds, the
// URL each takes, what each is sent; the schema every face parses with (the
// settings file, a config file, --channel KIND=URL, the window's form); the
// masks that keep their secrets out of answers. Delivery is core/app/channels/.
import { z } from 'zod';
import { REDACTED } from '../redact';
import { tryUrl } from '../url';

export const CHANNEL_KINDS = ['webhook', 'slack', 'discord', 'mattermost', 'ntfy', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ChannelKindDescription {
  label: string;
  /** The URL it takes, in words. */
  url: string;
  example: string;
  /** What it is sent, in words. */
  sends: string;
}

export const CHANNEL_DESCRIPTIONS: Record<ChannelKind, ChannelKindDescription> = {
  webhook: {
    label: 'Webhook',
    url: 'any `http://` or `https://` address',
    example: 'https://ops.example.com/hooks/wsmon',
    sends: 'a POST of the JSON body below (`wsmon`, `event`, `title`, `text`, `at`, `endpoint`, `incident`)',
  },
  slack: {
    label: 'Slack',
    url: "the incoming webhook's address",
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    sends: '`{"text"}`: the title in bold, then the text (`&`, `<`, `>` escaped, so no text from a server becomes a mention or a link)',
  },
  discord: {
    label: 'Discord',
    url: "the channel webhook's address",
    example: 'https://discord.com/api/webhooks/123/abc',
    sends: '`{"content", "allowed_mentions": {"parse": []}}`: no text from a server can mention anyone',
  },
  mattermost: {
    label: 'Mattermost',
    url: "the incoming webhook's address",
    example: 'https://chat.example.com/hooks/xxx',
    sends: '`{"text"}`: the title as a heading, then the text (an `@` followed by a zero-width space, so no text from a server mentions anyone)',
  },
  ntfy: {
    label: 'ntfy',
    url: "the topic's address on ntfy.sh or your own server",
    example: 'https://ntfy.sh/wsmon-alerts-7f3a',
    sends: 'a JSON publish to the server: `topic`, `title`, `message`, `priority` (high for down and incidents) and `tags`',
  },
  email: {
    label: 'E-mail (SMTP)',
    url: '`smtp://[user@]host[:port]?from=ADDRESS&to=ADDRESS[,ADDRESS]` (`smtps://` for TLS from the first byte; STARTTLS whenever the server offers it); the password apart',
    example: 'smtp://alerts@mail.example.com:587?from=wsmon@example.com&to=ops@example.com',
    sends: 'a plain-text e-mail: the title as its subject',
  },
};

/** Channels at most: each is a destination a person chose, not a list that grows with endpoints. */
export const CHANNELS_MAX = 10;
/** The password of an e-mail channel, for the command line (never a flag: flags show in `ps`). */
export const SMTP_PASSWORD_ENV = 'WSMON_SMTP_PASSWORD';

const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+$/;

/** Why a channel's URL will not do for its kind, in one sentence; null when it will. */
export function channelUrlProblem(kind: ChannelKind, text: string): string | null {
  const url = tryUrl(text);
  if (!url) return `${text.slice(0, 60)} is not a URL`;
  if (kind === 'email') {
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return 'an e-mail channel takes smtp://host or smtps://host';
    if (url.password) return `put the password in the channel's password (or $${SMTP_PASSWORD_ENV}), not in the URL`;
    const from = url.searchParams.get('from') ?? '';
    const to = (url.searchParams.get('to') ?? '').split(',').filter(Boolean);
    if (!EMAIL.test(from)) return 'an e-mail channel needs ?from=ADDRESS';
    if (to.length === 0 || !to.every((a) => EMAIL.test(a))) return 'an e-mail channel needs &to=ADDRESS (several separated by commas)';
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `a ${kind} channel takes an http:// or https:// address`;
  if (kind === 'ntfy' && !/^\/[^/]+\/?$/.test(url.pathname)) return 'an ntfy channel takes the topic address, such as https://ntfy.sh/my-topic';
  return null;
}

export const channelSchema = z
  .object({
    kind: z.enum(CHANNEL_KINDS, { error: `kind must be one of ${CHANNEL_KINDS.join(', ')}` }),
    /** Given by wsmon when a channel is saved (the window's edits name a channel by it: masked addresses look alike). */
    id: z
      .string()
      .regex(/^[a-z0-9]{1,16}$/, { error: 'a channel id is 1 to 16 lower-case letters and digits' })
      .optional(),
    name: z
      .string()
      .regex(/^[^\x00-\x1f]{1,64}$/, { error: 'a channel name is 1 to 64 characters on one line' })
      .optional(),
    url: z.string({ error: 'a channel needs its url' }).max(2048, { error: 'a channel URL is at most 2048 characters' }),
    /** An e-mail channel's SMTP password. */
    password: z.string().max(1024).optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = channelUrlProblem(c.kind, c.url);
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
    if (c.password !== undefined && c.kind !== 'email') ctx.addIssue({ code: 'custom', path: ['password'], message: 'only an e-mail channel has a password' });
  });

export type Channel = z.output<typeof channelSchema>;
export type ChannelInput = z.input<typeof channelSchema>;

export const channelsSchema = z.array(channelSchema, { error: 'channels must be a list' }).max(CHANNELS_MAX, { error: `at most ${CHANNELS_MAX} channels` });

/** What a person calls it: its name, else its kind and host ("slack hooks.slack.com"). */
export function channelName(c: Pick<Channel, 'kind' | 'name' | 'url'>): string {
  return c.name ?? `${c.kind} ${tryUrl(c.url)?.hostname ?? ''}`.trim();
}

/**
 * A channel as answers show it: a chat's or webhook's address is its secret
 * (whoever has it may post), so only its origin shows; an ntfy topic is its
 * secret too; an e-mail channel's URL holds no password (refused) and shows
 * whole; its password is masked.
 */
export function maskChannel<C extends ChannelInput>(c: C): C {
  const url = tryUrl(c.url);
  const shown = c.kind === 'email' || !url ? c.url : `${url.protocol}//${url.host}/${REDACTED}`;
  return { ...c, url: shown, ...(c.password !== undefined ? { password: REDACTED } : {}) };
}

/**
 * Channels sent back from a form: a masked URL or password is the stored one
 * of the same channel, matched by its id (two Slack channels mask alike), or
 * by position and kind for channels without one.
 */
export function unmaskChannels(incoming: ChannelInput[], current: Channel[]): ChannelInput[] {
  return incoming.map((c, i) => {
    const was = c.id !== undefined ? current.find((s) => s.id === c.id) : current[i]?.id === undefined ? current[i] : undefined;
    if (!was || was.kind !== c.kind) return c;
    const masked = maskChannel(was);
    return {
      ...c,
      url: c.url === masked.url ? was.url : c.url,
      ...(c.password === REDACTED ? { password: was.password } : {}),
    };
  });
}

/** `--channel KIND=URL`: a channel, or why not. */
export function parseChannelFlag(text: string, password?: string): { ok: true; channel: Channel } | { ok: false; message: string } {
  const eq = text.indexOf('=');
  const kind = text.slice(0, eq);
  if (eq < 0 || !(CHANNEL_KINDS as readonly string[]).includes(kind))
    return { ok: false, message: `--channel takes KIND=URL, KIND one of ${CHANNEL_KINDS.join(', ')} (got ${JSON.stringify(text.slice(0, 40))})` };
  const r = channelSchema.safeParse({ kind, url: text.slice(eq + 1), ...(kind === 'email' && password !== undefined ? { password } : {}) });
  return r.success ? { ok: true, channel: r.data } : { ok: false, message: `--channel ${kind}: ${r.error.issues[0]!.message}` };
}

/** How a channel stands, for the window and the API (core/app/channels/hub.ts keeps it). */
export interface ChannelStatus {
  /** Its position in the list of channels (the window's "Send a test" names it so). */
  index: number;
  name: string;
  kind: ChannelKind;
  /** Masked (settings/channels.ts maskChannel). */
  url: string;
  enabled: boolean;
  /** idle: nothing sent yet; ok: the last attempt got through; failing: it did not (retrying while retryAt is set); off: disabled. */
  state: 'idle' | 'ok' | 'failing' | 'off';
  lastError: string | null;
  lastOkAt: string | null;
  lastErrorAt: string | null;
  /** Notices waiting (the one being retried included). */
  queued: number;
  retryAt: string | null;
  sent: number;
  /** Notices dropped: retried to the end, or pushed out of a full queue. */
  dropped: number;
}

/** The README's channels table (test/unit/readme-tables.test.ts). */
export function channelsTable(): string {
  const rows = CHANNEL_KINDS.map((k) => {
    const d = CHANNEL_DESCRIPTIONS[k];
    return `| \`${k}\` | ${d.label} | ${d.url} | \`${d.example}\` | ${d.sends} |`;
  });
  return ['| kind | | URL | example | what it is sent |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
