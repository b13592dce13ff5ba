// The app as the desktop shell runs it, minus the shell: a monitor whose
// endpoints and settings persist in a data folder, a session log per run that
// follows the log setting, and alerts that follow the mute settings. The
// Electron main process and `wsmon web --data DIR` both run this, so every
// decision here is tested under Node.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Notice, SettingsAnswer } from '../../shared/api';
import type { EndpointConfigInput } from '../../shared/config';
import { DEFAULT_SETTINGS, type AppSettings, type SettingKey, type SettingsPatch } from '../../shared/settings';
import { AlertCenter, type AlertOptions } from './alerts';
import { createApiHandler, type ApiHandler, type ApiHandlerOptions } from './api-handler';
import type { Clock } from '../engine/clock';
import { loadConfig, saveConfig } from './config-store';
import { rttThinner, type Thinner } from '../log/thinning';
import { Monitor } from '../engine/monitor';
import { reconcile } from './reconcile';
import { sealSecrets, type Cipher } from './secrets';
import { SessionLogWriter } from '../log/session-log';
import { loadSettings, saveSettings } from './settings-store';

export interface AppSessionOptions {
  /** Where endpoints.json, settings.json and sessions/ live. */
  dataDir: string;
  /** Seals secrets at rest (Electron safeStorage); without it they are saved as written. */
  cipher?: Cipher | null;
  /** Which settings take effect in this shell. */
  applies: SettingKey[];
  /** Starts the demo servers and returns their endpoints. */
  demo?: () => Promise<EndpointConfigInput[]>;
  clock?: Clock;
  alertOptions?: AlertOptions;
  /** Session start time for the log's file name. */
  now?: Date;
}

export class AppSession {
  readonly monitor: Monitor;
  readonly logPath: string;
  readonly configPath: string;
  readonly settingsPath: string;
  private readonly log: SessionLogWriter;
  private readonly alerts: AlertCenter;
  private readonly noticeListeners = new Set<(n: Notice) => void>();
  private current: AppSettings = { ...DEFAULT_SETTINGS };
  private thin: Thinner = rttThinner('all');
  private problems: string[] = [];
  private loaded = false;

  constructor(private readonly opts: AppSessionOptions) {
    this.monitor = new Monitor({ clock: opts.clock });
    this.configPath = join(opts.dataDir, 'endpoints.json');
    this.settingsPath = join(opts.dataDir, 'settings.json');
    this.logPath = join(opts.dataDir, 'sessions', `session-${(opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}.jsonl`);
    // The folder holds endpoint settings (secrets included where no cipher exists): the user's alone.
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    this.log = new SessionLogWriter(this.logPath);
    this.alerts = new AlertCenter(this.monitor, (n) => this.noticeListeners.forEach((l) => l(n)), this.monitor.clock, opts.alertOptions);
    this.monitor.on((e) => {
      for (const line of this.thin(e)) this.log.write(line);
      if (!this.loaded) return;
      if (e.type === 'endpoint-added' || e.type === 'endpoint-updated' || e.type === 'endpoint-removed') this.saveEndpoints();
      // A removed endpoint's mute goes with it, or a new endpoint of the same name would start muted.
      if (e.type === 'endpoint-removed' && this.current.muted.includes(e.endpoint!)) this.updateSettings({ muted: this.current.muted.filter((id) => id !== e.endpoint) });
    });
  }

  /** Loads settings and endpoints, starts the session and connects. */
  async start(): Promise<void> {
    const s = loadSettings(this.settingsPath);
    this.apply(s.settings);
    this.monitor.start();
    const saved = loadConfig(this.configPath, { cipher: this.opts.cipher ?? undefined });
    this.problems = [saved.problem, s.problem].filter((p): p is string => p !== null);
    await reconcile(this.monitor, saved.endpoints).catch((e: Error) => this.problems.push(`the saved endpoints could not be started (${e.message})`));
    this.loaded = true;
  }

  get settings(): AppSettings {
    return this.current;
  }

  updateSettings(patch: SettingsPatch): SettingsAnswer {
    const next = { ...this.current, ...patch };
    if (patch.muted) next.muted = [...new Set(patch.muted)];
    saveSettings(this.settingsPath, next);
    this.apply(next);
    return this.settingsAnswer();
  }

  /** Down/recovered notices, already filtered by the mute settings and rate limits. */
  onNotice(listener: (n: Notice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  /** What the window should be told at start: problems with the saved files. */
  notice(extra: string | null = null): string | null {
    return [...this.problems, extra].filter(Boolean).join(' ') || null;
  }

  handler(options: Omit<ApiHandlerOptions, 'settings'> = {}): ApiHandler {
    return createApiHandler(this.monitor, {
      demo: this.opts.demo,
      notice: () => this.notice(),
      ...options,
      settings: { get: () => this.settingsAnswer(), update: (p) => this.updateSettings(p) },
    });
  }

  /** Writes what is buffered and syncs it, e.g. before an export reads the file. */
  flushLog(): void {
    this.log.flush(true);
  }

  async stop(): Promise<void> {
    this.alerts.stop();
    await this.monitor.stop();
    for (const line of this.thin.flush()) this.log.write(line);
    this.log.close();
  }

  private settingsAnswer(): SettingsAnswer {
    return { settings: this.current, applies: this.opts.applies };
  }

  private apply(next: AppSettings): void {
    if (next.logRtt !== this.current.logRtt) {
      for (const line of this.thin.flush()) this.log.write(line);
      this.thin = rttThinner(next.logRtt);
    }
    this.alerts.muteAll(!next.notifications);
    this.alerts.setMuted(next.muted);
    this.current = next;
  }

  private saveEndpoints(): void {
    const configs = this.monitor.configs();
    saveConfig(this.configPath, this.opts.cipher ? sealSecrets(configs, this.opts.cipher) : configs);
  }
}
