// App settings: how the app behaves, as opposed to what it monitors (the
// endpoint list). Saved next to the endpoints by the desktop app and by
// `wsmon web --data DIR`; changed from the window's Settings dialog and the
// per-endpoint mute switch.
import { z } from 'zod';
import { toProblems, type ConfigProblem } from '../errors';
import { channelsSchema, type Channel } from './channels';

export const SETTINGS_FILE_VERSION = 1;
export const RTT_LOGGING = ['all', 'minute'] as const;
export type RttLogging = (typeof RTT_LOGGING)[number];

/**
 * How far back each endpoint's history reaches, in days: the choices. A day of minutes always; hours for up to 90
 * days; days beyond. The hours are most of an endpoint's memory (BENCHMARKS.md, Memory over time): a week holds about
 * half of what a year does, which is what makes ten thousand endpoints affordable for a day and more.
 */
export const HISTORY_DAYS = [7, 30, 90, 365] as const;
export type HistoryDays = (typeof HISTORY_DAYS)[number];

export interface AppSettings {
  /** Closing the window keeps monitoring in the tray (desktop only). */
  keepInTray: boolean;
  /** Session log: every rtt event, or one summary per endpoint per minute. State changes are always kept. */
  logRtt: RttLogging;
  /** Down/recovered notices at all. */
  notifications: boolean;
  /** Endpoint ids whose notices are muted. */
  muted: string[];
  /** Where notices go beside the desktop notice (settings/channels.ts); their secrets sealed at rest. */
  channels: Channel[];
  /** Earlier runs' session logs are deleted, oldest first, once older than this many days… */
  logKeepDays: number;
  /** …or once all of them (this run's counted, never deleted) take more than this many MiB. */
  logKeepMiB: number;
  /** How far back each endpoint's history reaches (HISTORY_DAYS). */
  historyDays: HistoryDays;
}

/**
 * 30 days and 1 GiB (BENCHMARKS.md, log-size): a month of minute summaries for
 * 100 endpoints is 825 MiB; with every RTT sample kept, 1 GiB still holds 8–9
 * days of 100 endpoints at a 10 s heartbeat, more than the 7 days the history
 * is rebuilt from at start.
 */
export const LOG_KEEP_DEFAULTS = { logKeepDays: 30, logKeepMiB: 1024 } as const;

export const DEFAULT_SETTINGS: AppSettings = {
  keepInTray: true,
  logRtt: 'all',
  notifications: true,
  muted: [],
  channels: [],
  ...LOG_KEEP_DEFAULTS,
  historyDays: 365,
};

const fields = {
  keepInTray: z.boolean({ error: 'keepInTray must be true or false' }),
  logRtt: z.enum(RTT_LOGGING, { error: `logRtt must be one of ${RTT_LOGGING.join(', ')}` }),
  notifications: z.boolean({ error: 'notifications must be true or false' }),
  muted: z.array(z.string().min(1).max(64), { error: 'muted must be a list of endpoint ids' }).max(10_000),
  channels: channelsSchema,
  logKeepDays: z.number({ error: 'logKeepDays must be a number of days' }).int().min(1, { error: 'logKeepDays is at least 1' }).max(3650),
  logKeepMiB: z.number({ error: 'logKeepMiB must be a number of MiB' }).int().min(16, { error: 'logKeepMiB is at least 16' }).max(1_048_576),
  historyDays: z.literal(HISTORY_DAYS, { error: `historyDays must be one of ${HISTORY_DAYS.join(', ')} (days)` }),
};

/** A change to some settings; what it leaves out stays as it is. */
export const settingsPatchSchema = z.object(fields).partial().strict();
export type SettingsPatch = z.output<typeof settingsPatchSchema>;

export const settingsFileSchema = z
  .object({ version: z.literal(SETTINGS_FILE_VERSION, { error: `version must be ${SETTINGS_FILE_VERSION}` }), ...settingsPatchSchema.shape })
  .strict();

export type ParsedSettings = { ok: true; settings: AppSettings } | { ok: false; problems: ConfigProblem[] };

/** A settings file's content; missing settings take their defaults (files written by older versions stay valid). */
export function parseSettings(data: unknown): ParsedSettings {
  const r = settingsFileSchema.safeParse(data);
  if (!r.success) return { ok: false, problems: toProblems(r.error) };
  const { version: _v, ...given } = r.data;
  return { ok: true, settings: { ...DEFAULT_SETTINGS, ...given } };
}

/** Which settings mean something where the window is shown. */
export type SettingKey = keyof AppSettings;
