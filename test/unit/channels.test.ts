// Alert channels: their settings (shared/settings/channels.ts), what each kind
// is sent (core/app/channels/messages.ts), and their secrets at rest.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outgoing, type AlertMessage } from '../../src/core/app/channels/messages';
import type { Cipher } from '../../src/core/app/secrets';
import { loadSettings, saveSettings } from '../../src/core/app/settings-store';
import { aes } from '../helpers/cipher';
import { DEFAULT_SETTINGS } from '../../src/shared/settings/app';
import { channelName, channelSchema, maskChannel, parseChannelFlag, unmaskChannels } from '../../src/shared/settings/channels';

const problem = (c: unknown) => {
  const r = channelSchema.safeParse(c);
  return r.success ? null : r.error.issues.map((i) => i.message).join('; ');
};

describe('channel settings', () => {
  it('each kind takes the URL it can use, and says in one sentence why another will not do', () => {
    expect(problem({ kind: 'slack', url: 'https://hooks.slack.com/services/T/B/x' })).toBeNull();
    expect(problem({ kind: 'slack', url: 'ftp://x' })).toBe('a slack channel takes an http:// or https:// address');
    expect(problem({ kind: 'ntfy', url: 'https://ntfy.sh/' })).toBe('an ntfy channel takes the topic address, such as https://ntfy.sh/my-topic');
    expect(problem({ kind: 'email', url: 'smtp://mail.example.com?from=a@example.com&to=b@example.com,c@example.com' })).toBeNull();
    expect(problem({ kind: 'email', url: 'smtp://u:pw@mail.example.com?from=a@example.com&to=b@example.com' })).toBe(
      "put the password in the channel's password (or $WSMON_SMTP_PASSWORD), not in the URL",
    );
    expect(problem({ kind: 'email', url: 'smtp://mail.example.com?from=a@example.com' })).toBe(
      'an e-mail channel needs &to=ADDRESS (several separated by commas)',
    );
    expect(problem({ kind: 'webhook', url: 'https://x.example/h', password: 'p' })).toBe('only an e-mail channel has a password');
    expect(problem({ kind: 'pager', url: 'https://x' })).toMatch(/^kind must be one of webhook, slack, discord, mattermost, ntfy, email/);
  });

  it('--channel KIND=URL, the password of an e-mail channel from the environment', () => {
    expect(parseChannelFlag('ntfy=https://ntfy.sh/alerts')).toEqual({ ok: true, channel: { kind: 'ntfy', url: 'https://ntfy.sh/alerts', enabled: true } });
    expect(parseChannelFlag('email=smtp://u@h?from=a@b.c&to=d@e.f', 'pw')).toMatchObject({ ok: true, channel: { password: 'pw' } });
    expect(parseChannelFlag('https://hooks.slack.com/x')).toMatchObject({ ok: false, message: expect.stringMatching(/^--channel takes KIND=URL/) });
    expect(parseChannelFlag('slack=nope')).toEqual({ ok: false, message: '--channel slack: nope is not a URL' });
  });

  it('answers show a chat address by its origin and mask a password; a form that sends the masks back keeps the secrets', () => {
    const stored = [
      channelSchema.parse({ kind: 'slack', url: 'https://hooks.slack.com/services/T/B/secret-token' }),
      channelSchema.parse({ kind: 'email', url: 'smtp://u@h?from=a@b.c&to=d@e.f', password: 'pw-123' }),
    ];
    const shown = stored.map(maskChannel);
    expect(shown.map((c) => [c.url, c.password])).toEqual([
      ['https://hooks.slack.com/***', undefined],
      ['smtp://u@h?from=a@b.c&to=d@e.f', '***'],
    ]);
    expect(JSON.stringify(shown)).not.toMatch(/secret-token|pw-123/);
    expect(unmaskChannels(shown, stored)).toEqual(stored);
    // A new address replaces the old; a channel moved to another kind keeps nothing of the one before.
    expect(unmaskChannels([{ ...shown[0]!, url: 'https://hooks.slack.com/services/T/B/new' }], stored)[0]!.url).toBe(
      'https://hooks.slack.com/services/T/B/new',
    );
    expect(unmaskChannels([{ kind: 'discord', url: 'https://hooks.slack.com/***' }], stored)[0]!.url).toBe('https://hooks.slack.com/***');
    expect(channelName(stored[0]!)).toBe('slack hooks.slack.com');
  });

  it('channels with ids are matched by id: removing the first of two Slack channels (masked alike) keeps the second its own address', () => {
    const stored = [
      channelSchema.parse({ kind: 'slack', id: 'aaa', url: 'https://hooks.slack.com/services/T/B/first' }),
      channelSchema.parse({ kind: 'slack', id: 'bbb', url: 'https://hooks.slack.com/services/T/B/second' }),
    ];
    const shown = stored.map(maskChannel);
    expect(unmaskChannels([shown[1]!], stored)).toEqual([stored[1]]);
  });

  it('sealed at rest: settings.json holds neither the address nor the password, and they open again', () => {
    const cipher = aes();
    const channels = [
      channelSchema.parse({ kind: 'discord', url: 'https://discord.com/api/webhooks/1/tok-en' }),
      channelSchema.parse({ kind: 'email', url: 'smtp://u@h?from=a@b.c&to=d@e.f', password: 'pw-123' }),
    ];
    const path = join(mkdtempSync(join(tmpdir(), 'wsmon-channels-')), 'settings.json');
    saveSettings(path, { ...DEFAULT_SETTINGS, channels }, cipher);
    const bytes = readFileSync(path, 'utf8');
    for (const secret of ['tok-en', 'pw-123', 'discord.com']) expect(bytes).not.toContain(secret);
    expect(loadSettings(path, Date.now(), cipher)).toEqual({ settings: { ...DEFAULT_SETTINGS, channels }, problem: null });
    // Another machine's keychain: the channel it cannot open is dropped and said, the others stay.
    const elsewhere: Cipher = {
      seal: cipher.seal,
      open: () => {
        throw new Error('another keychain');
      },
    };
    const loaded = loadSettings(path, Date.now(), elsewhere);
    const { password: _lost, ...withoutPassword } = channels[1]!;
    expect(loaded.settings.channels).toEqual([withoutPassword]);
    expect(loaded.problem).toBe(
      'the address of channel 1 could not be decrypted on this computer; enter it again; the password of channel 2 could not be decrypted on this computer; enter it again',
    );
  });
});

describe('what each kind is sent', () => {
  const m: AlertMessage = {
    wsmon: 1,
    event: 'down',
    title: 'api is down',
    text: 'closed 4000 "@channel <!everyone> & friends" · down for 10 s',
    at: '2026-12-06T23:00:00.000Z',
    endpoint: { id: 'api', name: 'api', url: 'wss://api.example/ws', health: 'down', cause: 'closed 4000' },
    incident: null,
  };

  it('text a server wrote never mentions anyone or forms a link', () => {
    const slack = (outgoing('slack', m) as { json: { text: string } }).json.text;
    expect(slack).toContain('"@channel &lt;!everyone&gt; &amp; friends"');
    expect(slack).not.toContain('<!');
    const mattermost = (outgoing('mattermost', m) as { json: { text: string } }).json.text;
    expect(mattermost).toContain('@\u200bchannel');
    expect(mattermost).not.toMatch(/@channel/);
    expect((outgoing('discord', m) as { json: unknown }).json).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it('the webhook gets the documented body as it is; e-mail a subject and the details', () => {
    expect(outgoing('webhook', m)).toEqual({ json: m });
    expect(outgoing('email', m)).toEqual({
      subject: 'api is down',
      text: 'closed 4000 "@channel <!everyone> & friends" · down for 10 s\napi · wss://api.example/ws\nat 2026-12-06T23:00:00.000Z\n\n-- \nwsmon',
    });
    expect(outgoing('ntfy', m, 'alerts')).toEqual({
      json: { topic: 'alerts', title: 'api is down', message: expect.stringContaining('down for 10 s'), priority: 4, tags: ['rotating_light'] },
    });
  });
});
