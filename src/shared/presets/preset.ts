// A preset: the settings a service needs, built from the blocks (messages on
// open, an acknowledgement, replies, correlated heartbeats, liveness,
// freshness), under a name. `"preset": "phoenix"` in a config file,
// `--preset phoenix` on the command line or the form's choice puts them under
// the endpoint's own settings, which win where both say something.

export interface Preset {
  name: string;
  label: string;
  /** How it works, in a line (the README's table). */
  how: string;
  /** What a URL of such a service looks like. */
  exampleUrl: string;
  /**
   * Endpoint settings as a config file writes them (a test checks each one
   * against the schema: typing them by it here would make shared/config.ts,
   * which names the presets, and this file import each other).
   */
  settings: Record<string, unknown>;
}

export const definePreset = <N extends string>(p: Preset & { name: N }): Preset & { name: N } => p;
