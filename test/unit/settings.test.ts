import { describe, expect, it } from 'vitest';
import { API_SCHEMAS } from '../../src/shared/api';
import { DEFAULT_SETTINGS, parseSettings } from '../../src/shared/settings/app';

describe('settings', () => {
  it('fills what a file leaves out with the defaults', () => {
    expect(parseSettings({ version: 1, logRtt: 'minute' })).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, logRtt: 'minute' } });
  });

  it('names every problem of a bad file', () => {
    expect(parseSettings({ version: 2, keepInTray: 'yes', historyDays: 14, colour: 'red' })).toEqual({
      ok: false,
      problems: [
        { path: 'version', message: 'version must be 1' },
        { path: 'keepInTray', message: 'keepInTray must be true or false' },
        { path: 'historyDays', message: 'historyDays must be one of 7, 30, 90, 365 (days)' },
        { path: '', message: 'unknown setting "colour"' },
      ],
    });
  });

  it('accepts a partial change over IPC and refuses unknown or mistyped settings', () => {
    expect(API_SCHEMAS.updateSettings.safeParse({ muted: ['a'] }).success).toBe(true);
    expect(API_SCHEMAS.updateSettings.safeParse({ muted: 'a' }).success).toBe(false);
    expect(API_SCHEMAS.updateSettings.safeParse({ theme: 'dark' }).success).toBe(false);
  });
});
