// App settings on disk, written atomically like the endpoint list. A file
// that cannot be used is kept aside; the app then runs on the defaults and
// says so.
import { readFileSync } from 'node:fs';
import { describeProblems } from '../../shared/errors';
import { DEFAULT_SETTINGS, parseSettings, SETTINGS_FILE_VERSION, type AppSettings } from '../../shared/settings';
import { keepAsideCopy, writeAtomic } from './config-store';

export interface LoadedSettings {
  settings: AppSettings;
  /** What went wrong, in words for the window; null when the file was fine (or absent). */
  problem: string | null;
}

export function loadSettings(path: string, now = Date.now()): LoadedSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { settings: { ...DEFAULT_SETTINGS }, problem: null };
    return { settings: { ...DEFAULT_SETTINGS }, problem: `could not read the settings (${(e as Error).message}); using the defaults` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { settings: { ...DEFAULT_SETTINGS }, problem: `the saved settings were unreadable (${(e as Error).message}); using the defaults, the file was kept as ${keepAsideCopy(path, now)}` };
  }
  const r = parseSettings(data);
  if (r.ok) return { settings: r.settings, problem: null };
  return { settings: { ...DEFAULT_SETTINGS }, problem: `the saved settings could not be used (${describeProblems(r.problems)}); using the defaults, the file was kept as ${keepAsideCopy(path, now)}` };
}

export function saveSettings(path: string, settings: AppSettings): void {
  writeAtomic(path, `${JSON.stringify({ version: SETTINGS_FILE_VERSION, ...settings }, null, 2)}\n`);
}
