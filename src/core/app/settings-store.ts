// App settings on disk, written atomically like the endpoint list. A file
// that cannot be used is kept aside; the app then runs on the defaults and
// says so.
import { writeAtomic } from '../files/gate';
import { describeProblems } from '../../shared/errors';
import { DEFAULT_SETTINGS, parseSettings, SETTINGS_FILE_VERSION, type AppSettings } from '../../shared/settings/app';
import { readDataFile, removeStaleTemps } from './config-store';

export interface LoadedSettings {
  settings: AppSettings;
  /** What went wrong, in words for the window; null when the file was fine (or absent). */
  problem: string | null;
}

/** Settings are a few hundred bytes; a muted list of 10,000 ids stays well under this. */
const SETTINGS_MAX_BYTES = 1024 * 1024;

export function loadSettings(path: string, now = Date.now()): LoadedSettings {
  const defaults = (problem: string | null): LoadedSettings => ({
    settings: { ...DEFAULT_SETTINGS },
    problem: problem && `${problem}; using the default settings`,
  });
  removeStaleTemps(path);
  const read = readDataFile(path, 'settings file', SETTINGS_MAX_BYTES, now);
  if (!read.ok) return defaults(read.problem);
  const r = parseSettings(read.value);
  if (r.ok) return { settings: r.settings, problem: null };
  return defaults(`the saved settings could not be used (${describeProblems(r.problems)}); the file was kept as ${read.keepAside()}`);
}

export function saveSettings(path: string, settings: AppSettings): void {
  writeAtomic(path, `${JSON.stringify({ version: SETTINGS_FILE_VERSION, ...settings }, null, 2)}\n`, 'settings file');
}
