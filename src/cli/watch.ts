// `wsmon watch <url>...`: monitor URLs until Ctrl-C or --duration.
import { CHANNEL_HELP, ENDPOINT_OPTIONS, HISTORY_DAYS_HELP, endpointsFromCli, endpointTemplate, parseCli, SESSION_OPTIONS } from './args';
import { UsageError } from '../shared/errors';
import { defaultView, sessionFlags, startHeadless } from './headless';
import { RTT_LOGGING } from '../shared/settings/app';
import { optionsHelp } from '../shared/settings/docs';

export const WATCH_HELP = `usage: wsmon watch [name=]<ws-url>... [options]

Monitors each URL until Ctrl-C (or --duration), then prints session-end.
Prefix a URL with name= to give the endpoint a short name.

  --json                     one JSON event per line on stdout
  --lines                    one readable line per event (the default when stdout is not a terminal;
                             on a terminal the default is the live table)
  --log FILE                 append the same JSON lines to FILE
  --log-rtt ${RTT_LOGGING.join('|')}       keep every rtt event in the log (default), or one summary per endpoint per minute
${HISTORY_DAYS_HELP}
  --duration D               stop after D (e.g. 30s, 5m)
  --metrics HOST:PORT        serve Prometheus metrics at http://HOST:PORT/metrics
  --probe NAME               this probe's name on every series (default: the host name)
  --frames                   also print every frame both ways as it is captured (a line each, escaped;
                             with --json a {"endpoint", "frame"} line); wsmon's heartbeats marked
  --frames-out FILE          at the end, write every endpoint's frames and handshakes to FILE:
                             HAR 1.2 (opens in Chrome DevTools) for *.har, else JSON lines
  --secret-name NAME         also mask this query parameter's value everywhere (repeatable;
                             WSMON_SECRET_NAMES=a,b does the same for every face)
${CHANNEL_HELP}

${optionsHelp()}`;

export async function watch(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv, { ...ENDPOINT_OPTIONS, ...SESSION_OPTIONS });
  if (values.help) {
    process.stdout.write(WATCH_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('watch needs at least one ws:// or wss:// URL');
  const endpoints = endpointsFromCli(positionals, endpointTemplate(values));
  const run = await startHeadless({ ...sessionFlags(values, defaultView(values)), endpoints });
  await run.done;
  return 0;
}
