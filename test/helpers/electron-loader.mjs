// node --import this file: resolves `electron` to the recording stand-in named by
// WSMON_STANDIN_URL (a file: URL of the bundled test/helpers/electron-standin.ts).
import { register } from 'node:module';

const standin = process.env.WSMON_STANDIN_URL;
if (!standin) throw new Error('WSMON_STANDIN_URL is not set');
const hooks = `export async function resolve(specifier, context, next) {
  return specifier === 'electron' ? { url: ${JSON.stringify(standin)}, shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
