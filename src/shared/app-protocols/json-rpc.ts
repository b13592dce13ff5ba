// JSON-RPC 2.0: a call as the heartbeat, its id the beat's number; an error
// response is a failed beat.
import { z } from 'zod';
import { jsonWithinBound, LIMITS } from '../limits';
import { defineProtocol } from './definition';

export const jsonRpc = defineProtocol({
  name: 'json-rpc',
  label: 'JSON-RPC 2.0',
  subprotocols: [],
  schema: z
    .object({
      name: z.literal('json-rpc'),
      method: z
        .string({ error: 'JSON-RPC needs a method to call as the heartbeat' })
        .min(1, { error: 'JSON-RPC needs a method to call as the heartbeat' })
        .max(LIMITS.textChars, { error: `JSON-RPC method must be at most ${LIMITS.textChars} characters` }),
      params: z
        .union([z.array(z.unknown()), z.record(z.string(), z.unknown())], { error: 'JSON-RPC params must be a JSON array or object' })
        .superRefine(jsonWithinBound('JSON-RPC params'))
        .optional(),
    })
    .strict(),
  settings: [
    {
      path: 'method',
      kind: 'text',
      group: 'basic',
      label: 'Heartbeat method',
      help: 'the call made every beat, such as eth_blockNumber (required)',
      flag: 'rpc-method',
      arg: 'METHOD',
      defaultText: '— (required)',
    },
    {
      path: 'params',
      kind: 'json',
      group: 'basic',
      label: 'Params',
      help: 'its params: a JSON array or object',
      flag: 'rpc-params',
      arg: 'JSON',
      defaultText: 'none',
    },
  ],
});
