// What the engine connects with: an endpoint's settled config, with the files
// it names already read and its proxy settled (the monitor does both, once,
// when it accepts the config).
import type { EndpointConfig } from '../../shared/config';

/** A config with the files it names already read (once, when the monitor accepted it). */
export interface ResolvedConfig extends EndpointConfig {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** The proxy this endpoint goes through (its setting or the environment's), or null. */
  proxyUrl?: string | null;
}
