// The one session assembly every face starts (the desktop app, wsmon watch,
// run, demo and web): a monitor, the records that listen to it, the session
// log with its RTT thinning, and alerts. With a data folder it also keeps the
// endpoints and settings there, as the desktop app does. Each face adds only
// what is its own (a window, a tray, a terminal view, metrics, signals).
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Notice, SettingsAnswer, WindowCommand } from '../../shared/api';
import type { EndpointConfigInput } from '../../shared/config';
import { pastLogs, rebuildHistory, type RebuildProgress } from '../log/rebuild';
import { pruneRunLogs, runLogs } from '../log/retention';
import { DEFAULT_SETTINGS, type AppSettings, type HistoryDays, type RttLogging, type SettingKey, type SettingsPatch } from '../../shared/settings/app';
import type { Clock } from '../engine/clock';
import { Monitor } from '../engine/monitor';
import { SessionLogWriter } from '../log/session-log';
import { rttThinner, type Thinner } from '../log/thinning';
import { Records } from '../record/records';
import { historyLimits } from '../record/history';
import { addSecretNames } from '../../shared/redact';
import { AlertCenter, type AlertOptions } from './alerts';
import { IncidentDetector } from './incidents';
import { ChannelHub, type HubOptions } from './channels/hub';
import { alertMessage } from './channels/alert-message';
import { maskChannel, unmaskChannels, type Channel, type ChannelStatus } from '../../shared/settings/channels';
import { checkLocalNetwork, type LocalNetworkCheck } from './local-network';
import { createApiHandler, type ApiHandler, type ApiHandlerOptions } from './api-handler';
import { loadConfig, saveConfig } from './config-store';
import { ensureFolder, removeStaleTemps } from '../files/gate';
import { captureSnapshot, noSnapshot, readSnapshot, restoreFromSnapshot, SNAPSHOT_EVERY_MS, SNAPSHOT_FILE, writeSnapshot } from '../log/snapshot';
import { reconcile } from './reconcile';
import { sealSecrets, type Cipher } from './secrets';
import { loadSettings, saveSettings } from './settings-store';

/**
 * Endpoint-list changes made within this long share one save (a group commit:
 * 2,000 adds in a burst are one atomic write, not 2,000); each change is
 * acknowledged only once that save is on disk (Session.persisted).
 */
const SAVE_DELAY_MS = 10;

/** Earlier runs' logs are checked against the retention settings at start and this often (they age while wsmon runs). */
const PRUNE_EVERY_MS = 3_600_000;

/** A comma-separated list of query parameter names to treat as secrets, for every face (the desktop app included). */
export const SECRET_NAMES_ENV = 'WSMON_SECRET_NAMES';

type HistoryCommand = Extract<WindowCommand, { kind: 'history' }>;

export interface SessionOptions {
  /**
   * Where endpoints.json, settings.json and sessions/ live (the desktop app,
   * `wsmon web --data`). The endpoints and settings persist there and each run
   * writes its log to sessions/. Without it nothing persists.
   */
  dataDir?: string;
  /** Without a data folder: the log to append to (`--log FILE`), if any. */
  logPath?: string;
  /** Without a data folder: how the log keeps RTT events (`--log-rtt`). */
  logRtt?: RttLogging;
  /** Without a data folder: how far back each endpoint's history reaches (`--history-days`). */
  historyDays?: HistoryDays;
  /** Seals secrets at rest (Electron safeStorage); without it they are saved as written. */
  cipher?: Cipher | null;
  /** Which settings take effect in this face. */
  applies?: SettingKey[];
  /** Starts the demo servers and returns their endpoints ("Add demo endpoints"). */
  demo?: () => Promise<EndpointConfigInput[]>;
  clock?: Clock;
  /** Where proxy variables are read (process.env by default). */
  env?: Record<string, string | undefined>;
  alertOptions?: AlertOptions;
  /** Alert channels where no settings are kept (the CLI's --channel and config file); with a data folder they are a setting. */
  channels?: Channel[];
  /** How channels retry and time out (tests make them quick). */
  channelOptions?: HubOptions;
  /** How this machine's own network is asked when endpoints fail together (core/app/local-network.ts by default). */
  localNetwork?: LocalNetworkCheck;
  /** Session start time for the log's file name. */
  now?: Date;
}

export class Session {
  readonly monitor: Monitor;
  readonly records: Records;
  /** The session log being written, or null. */
  readonly logPath: string | null;
  private readonly log: SessionLogWriter | null;
  private readonly alerts: AlertCenter;
  /** Delivers shown notices to the alert channels (settings/channels.ts). */
  readonly channels: ChannelHub;
  /** Folds endpoints that go down together into incidents (its events reach the records and the log like any other). */
  readonly incidents: IncidentDetector;
  private readonly noticeListeners = new Set<(n: Notice) => void>();
  /** Endpoints added as demo endpoints: never saved (see addDemo). */
  private readonly demoIds = new Set<string>();
  private readonly paths: { config: string; settings: string; snapshot: string } | null;
  private current: AppSettings;
  private thin: Thinner;
  private problems: string[] = [];
  /** The save that changes made since the last one are waiting for: they are acknowledged when it settles. */
  private pendingSave: { timer: NodeJS.Timeout; done: Promise<void>; settle: (error?: Error) => void } | null = null;
  private loaded = false;
  private pruneTimer: NodeJS.Timeout | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** The history snapshot being written, if one is. */
  private snapshotting: Promise<void> | null = null;
  private readonly historyListeners = new Set<(c: HistoryCommand) => void>();
  /** The history rebuilt from earlier runs' session logs (a data folder only): its progress, last reported. */
  history: RebuildProgress = { fraction: 1, files: 0, events: 0, fromMono: null };
  /** Settles when that rebuild is done (at once without a data folder). */
  rebuilt: Promise<RebuildProgress> = Promise.resolve(this.history);

  constructor(private readonly opts: SessionOptions = {}) {
    addSecretNames((opts.env ?? process.env)[SECRET_NAMES_ENV]?.split(',') ?? []);
    this.monitor = new Monitor({ clock: opts.clock, env: opts.env });
    this.current = { ...DEFAULT_SETTINGS, logRtt: opts.logRtt ?? DEFAULT_SETTINGS.logRtt, historyDays: opts.historyDays ?? DEFAULT_SETTINGS.historyDays };
    // Attached first: every other listener reads statuses that already include the event.
    this.records = Records.follow(this.monitor, historyLimits(this.current.historyDays));
    this.thin = rttThinner(this.current.logRtt);
    if (opts.dataDir !== undefined) {
      // The folder holds endpoint settings (secrets included where no cipher exists): made the user's alone
      // when wsmon creates it; an existing one keeps its mode (the file gate changes only what wsmon made).
      ensureFolder(opts.dataDir, 'data folder');
      this.paths = { config: join(opts.dataDir, 'endpoints.json'), settings: join(opts.dataDir, 'settings.json'), snapshot: join(opts.dataDir, SNAPSHOT_FILE) };
      this.logPath = join(opts.dataDir, 'sessions', `session-${(opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}.jsonl`);
    } else {
      this.paths = null;
      this.logPath = opts.logPath ?? null;
    }
    this.log = this.logPath ? new SessionLogWriter(this.logPath) : null;
    this.incidents = new IncidentDetector(this.monitor, opts.localNetwork ?? checkLocalNetwork);
    this.channels = new ChannelHub(this.monitor.clock, opts.channelOptions);
    if (opts.channels) this.channels.set(opts.channels);
    const notify = (n: Notice) => {
      this.noticeListeners.forEach((l) => l(n));
      if (this.channels.size) this.channels.deliver(alertMessage(this.records, n, this.monitor.clock.wall()));
    };
    this.alerts = new AlertCenter(this.monitor, notify, this.monitor.clock, opts.alertOptions, this.incidents);
    this.monitor.on(
      (e) => {
        if (this.log) for (const line of this.thin(e)) this.log.write(line);
        if (!this.loaded || !this.paths) return;
        if (e.type === 'endpoint-added' || e.type === 'endpoint-updated' || e.type === 'endpoint-removed') this.saveEndpoints();
        // A removed endpoint's mute goes with it, or a new endpoint of the same name would start muted.
        if (e.type === 'endpoint-removed' && this.current.muted.includes(e.endpoint!))
          this.updateSettings({ muted: this.current.muted.filter((id) => id !== e.endpoint) });
      },
      // The log keeps answers as events; without a log nothing here needs them.
      { rtt: this.log ? 'event' : false },
    );
  }

  /** Starts the session; with a data folder, loads the settings and the saved endpoints and connects them. */
  async start(): Promise<void> {
    if (!this.paths) {
      this.monitor.start();
      this.loaded = true;
      return;
    }
    const s = loadSettings(this.paths.settings, Date.now(), this.opts.cipher ?? null);
    this.applySettings(s.settings);
    // Before this run's history is rebuilt from the logs left; then hourly, as they age.
    this.pruneLogs();
    this.pruneTimer = setInterval(() => this.pruneLogs(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.monitor.start();
    const saved = loadConfig(this.paths.config, { cipher: this.opts.cipher ?? undefined });
    this.problems = [saved.problem, s.problem].filter((p): p is string => p !== null);
    await reconcile(this.monitor, saved.entries).catch((e: Error) => this.problems.push(`the saved endpoints could not be started (${e.message})`));
    this.loaded = true;
    this.rebuilt = this.restoreHistory();
  }

  /** Progress of the history rebuild, as it goes, as the command that tells a window. */
  onHistoryProgress(listener: (c: HistoryCommand) => void): () => void {
    this.historyListeners.add(listener);
    return () => this.historyListeners.delete(listener);
  }

  /**
   * History from earlier runs (a data folder only): from the last history
   * snapshot and the logs' tail since, or, without a usable snapshot, by
   * replaying the last week of logs. From then on a snapshot is written
   * hourly and at quit.
   */
  private async restoreHistory(): Promise<RebuildProgress> {
    const logsDir = dirname(this.logPath!);
    let source: 'snapshot' | 'logs' = 'snapshot';
    const report = (p: RebuildProgress) => {
      this.history = { ...p, source };
      const command: HistoryCommand = { kind: 'history', fraction: p.fraction, files: p.files, fromMono: p.fromMono, source };
      this.historyListeners.forEach((l) => l(command));
    };
    removeStaleTemps(this.paths!.snapshot);
    const start: RebuildProgress = { fraction: 0, files: 0, events: 0, fromMono: null };
    let done: RebuildProgress | null = null;
    try {
      const snapshot = await readSnapshot(this.paths!.snapshot);
      report(start);
      done = await restoreFromSnapshot(this.records, snapshot, logsDir, this.logPath, report);
    } catch (e) {
      if (!noSnapshot(e))
        this.problems.push(`The history snapshot could not be used (${(e as Error).message}); history was rebuilt from the session logs instead.`);
    }
    if (!done) {
      source = 'logs';
      const logs = pastLogs(logsDir, this.monitor.startWall + this.monitor.now(), this.logPath);
      if (logs.length) {
        report(start);
        done = await rebuildHistory(this.records, logs, this.monitor.startWall, report);
      }
    }
    if (done) report(done);
    if (!this.stopping) {
      this.snapshotTimer = setInterval(() => void this.snapshot(), SNAPSHOT_EVERY_MS);
      this.snapshotTimer.unref();
    }
    return this.history;
  }

  /**
   * Writes the history snapshot (a data folder only, once history from
   * earlier runs is back): the log is cut first, RTT summaries pending in the
   * thinner included, so every event after the cut is one the snapshot does
   * not hold.
   */
  snapshot(): Promise<void> {
    if (!this.paths || !this.log || !this.snapshotTimer) return Promise.resolve();
    if (this.snapshotting) return this.snapshotting;
    for (const line of this.thin.flush()) this.log.write(line);
    const taken = captureSnapshot(this.records, this.log.cut());
    return (this.snapshotting = writeSnapshot(this.paths.snapshot, taken)
      .catch((e: Error) => {
        // Said once, however many hours it keeps failing.
        const problem = `The history snapshot could not be written (${e.message}); the session logs still hold everything.`;
        if (!this.problems.includes(problem)) this.problems.push(problem);
      })
      .finally(() => (this.snapshotting = null)));
  }

  get settings(): AppSettings {
    return this.current;
  }

  updateSettings(patch: SettingsPatch): SettingsAnswer {
    const next = { ...this.current, ...patch };
    // A form sends the masks back for secrets it did not change: those keep what is stored.
    if (patch.channels) next.channels = withIds(unmaskChannels(patch.channels, this.current.channels) as Channel[]);
    if (patch.muted) next.muted = [...new Set(patch.muted)];
    if (this.paths) saveSettings(this.paths.settings, next, this.opts.cipher ?? null);
    this.applySettings(next);
    if (patch.logKeepDays !== undefined || patch.logKeepMiB !== undefined) this.pruneLogs();
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

  /** The API over this session; settings are offered where they persist (a data folder). */
  handler(options: Omit<ApiHandlerOptions, 'settings' | 'demo'> = {}): ApiHandler {
    return createApiHandler(this.monitor, this.records, {
      demo: this.opts.demo && (() => this.addDemo(this.opts.demo!)),
      notice: () => this.notice(),
      historyFrom: () => (this.history.fraction >= 1 ? this.history.fromMono : null),
      persisted: () => this.persisted(),
      notices: () => this.alerts.recent,
      channels: { statuses: () => this.channels.statuses(), test: (i) => this.testChannel(i) },
      ...options,
      settings: this.paths ? { get: () => this.settingsAnswer(), update: (p) => this.updateSettings(p) } : undefined,
    });
  }

  /** Writes what is buffered and syncs it, e.g. before an export reads the file. */
  flushLog(): void {
    this.log?.flush(true);
  }

  /** Closes every connection, writes session-end and closes the log. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    if (this.snapshotTimer) {
      clearInterval(this.snapshotTimer);
      // Before the monitor stops (that forgets the endpoints' records): the stop's own events follow the cut, in the log.
      await this.snapshot();
      this.snapshotTimer = null;
    }
    this.alerts.stop();
    this.incidents.stop();
    this.channels.stop();
    await this.monitor.stop();
    if (this.pendingSave) this.saveNow();
    if (this.log) {
      for (const line of this.thin.flush()) this.log.write(line);
      this.log.close();
    }
  }

  /** The settings as answers show them: a channel's address and password masked (settings/channels.ts). */
  private settingsAnswer(): SettingsAnswer {
    const logs = this.paths ? runLogs(dirname(this.logPath!)) : null;
    return {
      settings: { ...this.current, channels: this.current.channels.map(maskChannel) },
      applies: this.opts.applies ?? [],
      mutedNames: Object.fromEntries(this.current.muted.filter((id) => this.monitor.has(id)).map((id) => [id, this.monitor.config(id).name])),
      ...(logs ? { logs: { runs: logs.length, bytes: logs.reduce((n, r) => n + r.bytes, 0) } } : {}),
    };
  }

  /** Deletes earlier runs' logs past the retention settings (a data folder only); never this run's. */
  private pruneLogs(): void {
    if (!this.paths) return;
    const { logKeepDays: days, logKeepMiB: mib } = this.current;
    pruneRunLogs(dirname(this.logPath!), basename(this.logPath!), { days, bytes: mib * 1024 * 1024 }, Date.now());
  }

  /** Sends a test to channel `index` now (Settings' "Send a test", `wsmon channels`). */
  testChannel(index: number): Promise<{ ok: true } | { ok: false; error: string }> {
    return this.channels.test(index, alertMessage(this.records, null, this.monitor.clock.wall()));
  }

  /** How each channel stands, whenever that changes. */
  onChannels(listener: (s: ChannelStatus[]) => void): () => void {
    return this.channels.onChange(listener);
  }

  private applySettings(next: AppSettings): void {
    if (next.logRtt !== this.current.logRtt) {
      const pending = this.thin.flush();
      if (this.log) for (const line of pending) this.log.write(line);
      this.thin = rttThinner(next.logRtt);
    }
    if (next.historyDays !== this.current.historyDays) void this.records.resizeHistories(historyLimits(next.historyDays));
    this.alerts.muteAll(!next.notifications);
    this.alerts.setMuted(next.muted);
    if (JSON.stringify(next.channels) !== JSON.stringify(this.current.channels) || !this.loaded) this.channels.set(next.channels);
    this.current = next;
  }

  /** Saves the endpoint list soon: changes within SAVE_DELAY_MS share one atomic write (see persisted). */
  private saveEndpoints(): void {
    if (this.pendingSave) return;
    let settle!: (error?: Error) => void;
    const done = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
    done.catch(() => {}); // read by whoever awaits persisted(); a save nobody awaits must not be an unhandled rejection
    // Real time, not the monitor's clock: this batches disk writes, and a simulated clock must not hold an answer back.
    this.pendingSave = { timer: setTimeout(() => this.saveNow(), SAVE_DELAY_MS), done, settle };
  }

  /**
   * Settles once every endpoint change made so far is on disk (fsynced and
   * renamed into place); rejects if that save failed. The API answers a change
   * only then, so a crash never loses a change that was acknowledged.
   */
  persisted(): Promise<void> {
    return this.pendingSave?.done ?? Promise.resolve();
  }

  /**
   * Demo endpoints are not saved: their servers run inside this process and
   * stop with it, so saved they would retry a closed port for ever after a
   * restart. The window says so when they are added.
   */
  private async addDemo(demo: () => Promise<EndpointConfigInput[]>): Promise<EndpointConfigInput[]> {
    const inputs = await demo();
    for (const i of inputs) this.demoIds.add(i.id!);
    return inputs;
  }

  private saveNow(): void {
    const pending = this.pendingSave;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pendingSave = null;
    try {
      const configs = this.monitor.configs().filter((c) => !this.demoIds.has(c.id));
      saveConfig(this.paths!.config, this.opts.cipher ? sealSecrets(configs, this.opts.cipher) : configs);
      pending.settle();
    } catch (e) {
      pending.settle(e as Error);
    }
  }
}

/** Every channel with an id of its own: the window names a channel by it. */
function withIds(channels: Channel[]): Channel[] {
  return channels.map((c) => (c.id !== undefined ? c : { ...c, id: randomBytes(6).toString('hex') }));
}
