// `wsmon channels`: sends a test notice to each alert channel given (flags, a
// config file's "channels") and says how each went, as "Send a test" does in
// the window: the way to check a webhook or an SMTP password before an outage.
import { Session } from '../core/app/session';
import { UsageError } from '../shared/errors';
import { printable } from '../shared/printable';
import { channelName } from '../shared/settings/channels';
import { CHANNEL_HELP, channelFlags, parseCli } from './args';
import { readConfig } from './config';

export const CHANNELS_HELP = `usage: wsmon channels [--channel KIND=URL]... [--config FILE]

Sends a test notice to every alert channel given and prints how each went;
exits 1 if one failed. Channels are the ones --channel names and a config
file's "channels" (the format wsmon run reads).

${CHANNEL_HELP}
  --config FILE              also the channels of this config file
`;

export async function channelsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv, {
    channel: { type: 'string', multiple: true },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(CHANNELS_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`channels takes --channel KIND=URL, not arguments (got "${positionals[0]}")`);
  const channels = [...(values.config ? readConfig(values.config).channels : []), ...channelFlags(values.channel)];
  if (channels.length === 0) throw new UsageError('no channel to test: give --channel KIND=URL or --config FILE with "channels"');
  const session = new Session({ channels });
  let failed = 0;
  try {
    for (const [i, c] of channels.entries()) {
      const r = await session.testChannel(i);
      if (!r.ok) failed++;
      process.stdout.write(`${printable(channelName(c))}: ${r.ok ? 'test sent' : `failed: ${printable(r.error)}`}\n`);
    }
  } finally {
    await session.stop();
  }
  return failed ? 1 : 0;
}
