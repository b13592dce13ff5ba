// The driver for an endpoint: its application protocol's (or plain WebSocket),
// with the building blocks (messages on open, ack, refusal, replies) on top.
import { protocolDefinition, type AppProtocolName } from '../../../shared/app-protocols';
import { formatPongMatch } from '../../../shared/match-rule';
import type { Clock } from '../clock';
import type { ResolvedConfig } from '../resolved-config';
import { withBlocks } from './blocks';
import type { Driver, DriverFactory, DriverPort } from './driver';
import { graphqlWs } from './graphql-ws';
import { jsonRpc } from './json-rpc';
import { mqttDriver } from './mqtt';
import { plain } from './plain';
import { socketio } from './socketio';
import { stomp } from './stomp';

/** One driver per protocol definition (shared/app-protocols/): a definition without its driver does not compile. */
const DRIVERS: { [N in AppProtocolName]: DriverFactory } = {
  socketio,
  'graphql-ws': graphqlWs,
  mqtt: mqttDriver,
  stomp,
  'json-rpc': jsonRpc,
};

export function driverFor(cfg: ResolvedConfig, port: DriverPort, clock: Clock): Driver {
  return withBlocks(cfg.appProtocol ? DRIVERS[cfg.appProtocol.name] : plain)(cfg, port, clock);
}

/** What must complete before the endpoint is up, in words for errors: "the Socket.IO handshake". */
export function handshakeName(cfg: ResolvedConfig): string {
  const ack = cfg.onOpen?.ack ? `the acknowledgement (${formatPongMatch(cfg.onOpen.ack)})` : null;
  const proto = cfg.appProtocol ? `the ${protocolDefinition(cfg.appProtocol.name).label} handshake` : null;
  return [proto, ack].filter(Boolean).join(' and ') || 'the handshake';
}
