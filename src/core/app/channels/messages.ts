// What each kind of channel is sent for a notice: the documented JSON body of
// a generic webhook, and each chat's or ntfy's own format, made safe for it
// (text a server wrote never mentions anyone or forms a link). Pure.
import type { Notice } from '../../../shared/api';
import type { Health } from '../../../shared/health';
import type { IncidentScope } from '../../../shared/incidents';
import type { ChannelKind } from '../../../shared/settings/channels';

/** The generic webhook's body, also what every other format is made from. Bump `wsmon` when a field changes meaning. */
export interface AlertMessage {
  wsmon: 1;
  /** What happened: an endpoint went down or recovered, an incident opened or ended, notices were rate-limited, or a test. */
  event: Notice['kind'] | 'test';
  title: string;
  text: string;
  /** When the notice was made, ISO-8601 UTC. */
  at: string;
  /** The endpoint it is about (an incident's: its first member), with its health now; null for a test. */
  endpoint: { id: string; name: string; url: string; health: Health; cause: string } | null;
  /** The incident it is about, if any (incident and incident-over, and a member's notices). */
  incident: { id: string; scope: IncidentScope; key: string; cause: string; count: number; endpoints: string[]; since: string; end: string | null } | null;
}

/** A request's body and headers (HTTP kinds), or an e-mail's subject and text. */
export type Outgoing = { json: unknown } | { subject: string; text: string };

const URGENT = new Set<AlertMessage['event']>(['down', 'incident', 'rate-limited']);

/** Slack's formatting: &, < and > are control characters (links, mentions); escaped, server text is only text. */
const slackText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
/** Mattermost mentions anyone named after an @ (@channel, @all): a zero-width space after each @ breaks them. */
const noMentions = (s: string) => s.replaceAll('@', '@\u200b');

/** The lines after the title: the text, and where it is about. */
function details(m: AlertMessage): string {
  const lines = [m.text];
  if (m.endpoint && m.event !== 'incident' && m.event !== 'incident-over') lines.push(`${m.endpoint.name} · ${m.endpoint.url}`);
  if (m.incident && m.incident.endpoints.length)
    lines.push(
      `endpoints: ${m.incident.endpoints.join(', ')}${m.incident.count > m.incident.endpoints.length ? ` and ${m.incident.count - m.incident.endpoints.length} more` : ''}`,
    );
  lines.push(`at ${m.at}`);
  return lines.join('\n');
}

export function outgoing(kind: ChannelKind, m: AlertMessage, ntfyTopic = ''): Outgoing {
  switch (kind) {
    case 'webhook':
      return { json: m };
    case 'slack':
      return { json: { text: `*${slackText(m.title)}*\n${slackText(details(m))}` } };
    case 'discord':
      // Discord caps content at 2,000 characters.
      return { json: { content: `**${m.title}**\n${details(m)}`.slice(0, 2000), allowed_mentions: { parse: [] } } };
    case 'mattermost':
      return { json: { text: `#### ${noMentions(m.title)}\n${noMentions(details(m))}` } };
    case 'ntfy':
      return {
        json: {
          topic: ntfyTopic,
          title: m.title,
          message: details(m),
          priority: URGENT.has(m.event) ? 4 : 3,
          tags: [URGENT.has(m.event) ? 'rotating_light' : m.event === 'test' ? 'test_tube' : 'white_check_mark'],
        },
      };
    case 'email':
      return { subject: m.title, text: `${details(m)}\n\n-- \nwsmon` };
  }
}
