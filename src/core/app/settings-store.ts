// App settings on disk, written atomically like the endpoint list. A file
// that cannot be used is kept aside; the app then runs on the defaults and
// says so.
import { removeStaleTemps, writeAtomic } from '../files/gate';
import { describeProblems } from '../../shared/errors';
import { DEFAULT_SETTINGS, parseSettings, SETTINGS_FILE_VERSION, type AppSettings } from '../../shared/settings/app';
import { readDataFile } from './config-store';
import { openChannels, sealChannels, type Cipher } from './secrets';

export interface LoadedSettings {
  settings: AppSettings;
  /** What went wrong, in words for the window; null when the file was fine (or absent). */
  problem: string | null;
}

/** Settings are a few hundred bytes; a muted list of 10,000 ids stays well under this. */
const SETTINGS_MAX_BYTES = 1024 * 1024;

/** Reads the settings; channel secrets sealed with `cipher` are opened (one that cannot be is dropped and said). */
export function loadSettings(path: string, now = Date.now(), cipher: Cipher | null = null): LoadedSettings {
  const defaults = (problem: string | null): LoadedSettings => ({
    settings: { ...DEFAULT_SETTINGS },
    problem: problem && `${problem}; using the default settings`,
  });
  removeStaleTemps(path);
  const read = readDataFile(path, 'settings file', SETTINGS_MAX_BYTES, now);
  if (!read.ok) return defaults(read.problem);
  let value = read.value;
  let unopened: string[] = [];
  if (cipher && typeof value === 'object' && value !== null && 'channels' in value) {
    const opened = openChannels((value as { channels: unknown }).channels, cipher);
    value = { ...value, channels: opened.channels };
    unopened = opened.problems;
  }
  const r = parseSettings(value);
  if (r.ok) return { settings: r.settings, problem: unopened.length ? unopened.join('; ') : null };
  return defaults(`the saved settings could not be used (${describeProblems(r.problems)}); the file was kept as ${read.keepAside()}`);
}

/** Writes the settings atomically; with a cipher, channel secrets sealed (secrets.ts). */
export function saveSettings(path: string, settings: AppSettings, cipher: Cipher | null = null): void {
  const stored = cipher ? { ...settings, channels: sealChannels(settings.channels, cipher) } : settings;
  writeAtomic(path, `${JSON.stringify({ version: SETTINGS_FILE_VERSION, ...stored }, null, 2)}\n`, 'settings file');
}
