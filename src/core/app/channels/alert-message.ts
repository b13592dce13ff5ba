// What the channels are sent for a notice: the notice, and the endpoint and
// incident it is about as the records hold them now (the webhook's documented
// body, messages.ts AlertMessage). A test notice when there is none.
import type { Notice } from '../../../shared/api';
import { isoTime } from '../../../shared/events';
import { healthOf } from '../../../shared/health';
import { INCIDENT_LISTED } from '../../../shared/incidents';
import type { Records } from '../../record/records';
import type { AlertMessage } from './messages';

export function alertMessage(records: Records, n: Notice | null, atWall: number): AlertMessage {
  const status = n && records.has(n.endpoint) ? records.status(n.endpoint) : null;
  const verdict = status ? healthOf(status, records.now()) : null;
  const inc = n?.incident ? records.incidents.view([n.incident])[0] : undefined;
  const wall = (mono: number) => isoTime(records.startWall + mono);
  return {
    wsmon: 1,
    event: n?.kind ?? 'test',
    title: n?.title ?? 'wsmon: a test',
    text: n?.body ?? 'A test from wsmon: notices will reach this channel.',
    at: isoTime(atWall),
    endpoint: status && verdict ? { id: status.id, name: status.name, url: status.url, health: verdict.health, cause: verdict.cause } : null,
    incident: inc
      ? {
          id: inc.id,
          scope: inc.scope,
          key: inc.key,
          cause: inc.cause,
          count: inc.count,
          endpoints: inc.members.slice(0, INCIDENT_LISTED).map((id) => (records.has(id) ? records.recorder(id).name : id)),
          since: wall(inc.sinceMono),
          end: inc.endMono === null ? null : wall(inc.endMono),
        }
      : null,
  };
}
