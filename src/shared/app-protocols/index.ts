// Every application protocol wsmon speaks. Adding one is its definition here
// (a file and a line in this list) and its driver in core/engine/protocols/
// (a file and a line in DRIVERS, which the compiler requires).
import { z } from 'zod';
import type { Setting } from '../settings/setting';
import { graphqlWs } from './graphql-ws';
import { jsonRpc } from './json-rpc';
import { mqtt } from './mqtt';
import { socketio } from './socketio';
import { stomp } from './stomp';

export const APP_PROTOCOL_DEFINITIONS = [socketio, graphqlWs, mqtt, stomp, jsonRpc] as const;

type Definitions = typeof APP_PROTOCOL_DEFINITIONS;
export type AppProtocolName = Definitions[number]['name'];
export type AppProtocolDefinitionOf<N extends AppProtocolName> = Extract<Definitions[number], { name: N }>;

export const APP_PROTOCOLS = APP_PROTOCOL_DEFINITIONS.map((d) => d.name) as AppProtocolName[];

/** The definitions' schemas as a tuple, as zod's discriminated union wants them. */
type Schemas<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never };
const schemas = APP_PROTOCOL_DEFINITIONS.map((d) => d.schema) as unknown as Schemas<Definitions>;
export const appProtocolSchema = z.discriminatedUnion('name', schemas, { error: `application protocol must be one of ${APP_PROTOCOLS.join(', ')}` });
export type AppProtocolConfig = z.output<typeof appProtocolSchema>;

export function protocolDefinition<N extends AppProtocolName>(name: N): AppProtocolDefinitionOf<N> {
  return APP_PROTOCOL_DEFINITIONS.find((d) => d.name === name) as AppProtocolDefinitionOf<N>;
}

/** Options holding credentials, in any protocol: sealed at rest, masked everywhere, left out of shared files. */
export const APP_PROTOCOL_SECRETS = [
  ...new Set(APP_PROTOCOL_DEFINITIONS.flatMap((d) => (d.settings as readonly Setting[]).filter((s) => s.secret).map((s) => s.path))),
];
