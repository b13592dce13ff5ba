// GraphQL over WebSocket (graphql-transport-ws): connection_init with a
// payload -> connection_ack; ping/pong messages; close codes 4400-4500.
import { z } from 'zod';
import { defineProtocol, jsonObject } from './definition';

export const graphqlWs = defineProtocol({
  name: 'graphql-ws',
  label: 'GraphQL over WebSocket (graphql-transport-ws)',
  subprotocols: ['graphql-transport-ws'],
  schema: z.object({ name: z.literal('graphql-ws'), /** The connection_init payload. */ payload: jsonObject('connection_init payload').optional() }).strict(),
  settings: [
    {
      path: 'payload',
      kind: 'json',
      group: 'basic',
      label: 'connection_init payload',
      help: 'JSON object sent in connection_init',
      flag: 'init-payload',
      arg: 'JSON',
      secret: true,
      defaultText: 'none',
    },
  ],
});
