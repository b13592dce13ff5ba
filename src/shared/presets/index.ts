// The built-in presets. Adding one is a file here and a line in this list.
import { actioncable } from './actioncable';
import { phoenix } from './phoenix';
import type { Preset } from './preset';
import { pusher } from './pusher';
import { signalr } from './signalr';
import { subscribeFeed } from './subscribe-feed';

export const PRESETS = [phoenix, actioncable, signalr, pusher, subscribeFeed] as const;
export type PresetName = (typeof PRESETS)[number]['name'];
export const PRESET_NAMES = PRESETS.map((p) => p.name) as [PresetName, ...PresetName[]];

export function presetNamed(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `over` on top of `under`: objects merged key by key, anything else from `over` where it says something. */
export function mergeSettings(under: unknown, over: unknown): unknown {
  if (!isObject(under) || !isObject(over)) return over === undefined ? under : over;
  const out: Record<string, unknown> = { ...under };
  for (const [k, v] of Object.entries(over)) out[k] = mergeSettings(under[k], v);
  return out;
}

/** An endpoint's settings as written, with its preset's (if it names a known one) underneath. */
export function withPreset(input: unknown): unknown {
  if (!isObject(input) || typeof input.preset !== 'string') return input;
  const preset = presetNamed(input.preset);
  return preset ? mergeSettings(preset.settings, input) : input;
}
