// The screen's state: endpoint statuses kept current by batched updates, what
// the user is looking at, the session clock (for countdowns), and the history
// of what is shown, pulled from one place. Views read it and call its actions;
// only this file talks to the API.
import { untrack } from 'svelte';
import {
  OVERVIEW_COLUMNS,
  type ApiInput,
  type ApiOutput,
  type HistoryAnswer,
  type Notice,
  type OverviewSeries,
  type SessionInfo,
  type SettingsAnswer,
  type Update,
  type WindowCommand,
} from '../../../shared/api';
import { overviewColumns } from '../../../shared/chart-data';
import type { EndpointConfig, EndpointConfigInput } from '../../../shared/config';
import type { ExportFormat } from '../../../shared/export-format';
import { WsmonError } from '../../../shared/errors';
import type { MonitorApi } from '../../../shared/transport';
import type { SettingsPatch } from '../../../shared/settings/app';
import type { ChannelStatus } from '../../../shared/settings/channels';
import { healthOf, type Health } from '../../../shared/health';
import type { EndpointStatus } from '../../../shared/status';
import { pullEvery, windowFor, type RangeKey, type Window } from './ranges';

/** Notices shown at once; older ones give way. */
const NOTICES_SHOWN = 4;
const NOTICE_MS = 15_000;
/** How often the shown history is pulled again while the charts follow now. */
const PULL_MS = { detail: 1000, overview: 5000 } as const;

export type EndpointAction = 'pause' | 'resume' | 'reconnectNow' | 'connect' | 'disconnect';

export type View = { kind: 'overview' } | { kind: 'detail'; id: string } | { kind: 'add' } | { kind: 'edit'; id: string };

export class Store {
  // Raw (not deeply reactive): statuses are replaced whole by each update, and deep proxies over
  // hundreds of stats objects cost more than re-reading them.
  endpoints = $state.raw<Record<string, EndpointStatus>>({});
  session = $state<SessionInfo | null>(null);
  /** Session-monotonic "now", advanced locally between updates so countdowns run smoothly. */
  nowMono = $state(0);
  /**
   * The same clock in whole seconds, for health (down after N s, flapping, "down 5 min"): it changes once a second,
   * so hundreds of list rows are judged and sorted once a second, not ten times.
   */
  healthNow = $state(0);
  /** Every endpoint's health, judged once for the list and the overview (shared/health.ts). */
  readonly health = $derived(
    Object.fromEntries(Object.values(this.endpoints).map((s) => [s.id, healthOf(s, this.healthNow).health])) as Record<string, Health>,
  );
  view = $state<View>({ kind: 'overview' });
  range = $state<RangeKey>('5m');
  /** Set while the user inspects: the charts stay on this window instead of following. */
  frozen = $state<Window | null>(null);
  problem = $state<string | null>(null);
  /** The history rebuild from earlier runs' logs while it runs (files read so far, 0..1 by bytes), or null. */
  historyProgress = $state<{ fraction: number; files: number; source: 'snapshot' | 'logs' } | null>(null);
  /** Where rebuilt history begins (session-monotonic, negative), or null: ranges may reach back to it. */
  historyFrom = $state<number | null>(null);
  /** Progress of a session-log export the app is writing (desktop), 0..1, or null. */
  exportProgress = $state<number | null>(null);
  /** The app settings, or null where the window has none (a plain `wsmon web`, a past log). */
  settings = $state.raw<SettingsAnswer | null>(null);
  /** Down/recovered notices shown in the window (where there are no desktop notifications). */
  notices = $state.raw<(Notice & { key: number })[]>([]);
  /** The history of the endpoint on screen (detail view), pulled on demand. */
  history = $state.raw<HistoryAnswer | null>(null);
  /** Every endpoint's RTT and states (overview), pulled on demand. */
  overview = $state.raw<OverviewSeries[]>([]);
  /** The session's incidents, newest first, and the last notices (shown and withheld); pulled at start and when one opens or ends. */
  incidents = $state.raw<ApiOutput<'incidents'>>({ incidents: [], notices: [] });
  /** How the alert channels stand (pushed when that changes); a failing one is said at the top of the window. */
  channels = $state.raw<ChannelStatus[]>([]);
  /** Why the last pull failed, or null. */
  pullError = $state<string | null>(null);
  /** Changes only when an endpoint is added or removed (a derived notifies only on a new value). */
  private readonly endpointCount = $derived(Object.keys(this.endpoints).length);
  private noticeKey = 0;
  private offset = 0;

  constructor(private readonly api: MonitorApi) {}

  async start(): Promise<void> {
    this.api.subscribe((p) => ('update' in p ? this.applyUpdate(p.update) : this.obey(p.command)));
    const { session, endpoints, notice } = await this.api.call('list', {});
    this.session = session;
    this.historyFrom = session.historyFromMono ?? null;
    this.problem = notice;
    this.sync(session.nowMono);
    this.endpoints = Object.fromEntries(endpoints.map((s) => [s.id, s]));
    // A past session's clock stands still at its end.
    if (!this.readOnly) setInterval(() => this.tick(performance.now() - this.offset), 100);
    this.settings = await this.api.call('settings', {}).catch((e: unknown) => {
      if (e instanceof WsmonError && e.code === 'UNAVAILABLE') return null;
      throw e;
    });
    await this.pullIncidents();
    // A past log has no channels (UNAVAILABLE): none to show.
    this.channels = await this.api.call('channels', {}).catch(() => []);
    window.addEventListener('wsmon-bridge-lost', () => (this.problem = 'Lost the connection to wsmon. Restart `wsmon web` and reload this page.'));
    $effect.root(() => {
      $effect(() => this.poll());
    });
  }

  /**
   * The one place history is pulled: for the view on screen, again when the
   * view, the range or the frozen window changes, and on a timer while the
   * charts follow now. Returns the effect's cleanup.
   */
  private poll(): (() => void) | void {
    const view = this.view;
    void this.frozen;
    void this.range;
    void this.historyFrom; // history rebuilt: the charts pull again
    void this.endpointCount; // an endpoint added or removed shows at once
    if (view.kind !== 'detail' && view.kind !== 'overview') return;
    // untrack: a pull reads the live window, which moves every 100 ms; only the reads above re-run this.
    const pull = () => untrack(() => void (view.kind === 'detail' ? this.pullHistory(view.id) : this.pullOverview()));
    if (view.kind === 'detail' && untrack(() => this.history?.id) !== view.id) this.history = null;
    pull();
    if (!this.following) return;
    const timer = setInterval(
      pull,
      pullEvery(
        untrack(() => this.window),
        PULL_MS[view.kind],
      ),
    );
    return () => clearInterval(timer);
  }

  private async pullHistory(id: string): Promise<void> {
    const w = this.window;
    try {
      const h = await this.api.call('history', { id, from: w.from, to: w.to });
      if (this.view.kind === 'detail' && this.view.id === id) this.history = h;
      this.pullError = null;
    } catch (e) {
      // The endpoint was removed meanwhile: the view already says so.
      if (!(e instanceof WsmonError && e.code === 'UNKNOWN_ENDPOINT')) this.pullError = (e as Error).message;
    }
  }

  private async pullOverview(): Promise<void> {
    const w = this.window;
    try {
      const columns = overviewColumns(
        w.to - w.from,
        Object.values(this.endpoints).map((s) => s.heartbeatMs),
        OVERVIEW_COLUMNS,
      );
      this.overview = (await this.api.call('overview', { from: w.from, to: w.to, columns })).endpoints;
      this.pullError = null;
    } catch (e) {
      this.pullError = (e as Error).message;
    }
  }

  private async pullIncidents(): Promise<void> {
    try {
      this.incidents = await this.api.call('incidents', {});
    } catch (e) {
      this.pullError = (e as Error).message;
    }
  }

  // Actions: each is one API call; errors reach the caller, which shows them where the user acted.

  act(id: string, action: EndpointAction): Promise<null> {
    return this.api.call(action, { id });
  }

  /**
   * One action on several endpoints (a group, what the list shows), each its own call; returns the names of those
   * it failed for. An endpoint page whose endpoint went is left for the overview.
   */
  async actOn(ids: string[], action: EndpointAction | 'remove'): Promise<string[]> {
    const results = await Promise.allSettled(ids.map((id) => this.api.call(action, { id })));
    if (action === 'remove' && 'id' in this.view && ids.includes(this.view.id)) this.view = { kind: 'overview' };
    return ids.filter((_, i) => results[i]!.status === 'rejected').map((id) => this.endpoints[id]?.name ?? id);
  }

  async remove(id: string): Promise<void> {
    await this.api.call('remove', { id });
    this.view = { kind: 'overview' };
  }

  config(id: string): Promise<EndpointConfig> {
    return this.api.call('config', { id });
  }

  /** Adds an endpoint, or saves one being edited; then shows it. */
  async save(id: string | null, config: EndpointConfigInput): Promise<void> {
    const s = id ? await this.api.call('update', { id, config }) : await this.api.call('add', { config });
    // Shown at once from the answer, not after the next update: the page (and the focus) lands on it.
    this.endpoints = { ...this.endpoints, [s.id]: s };
    this.view = { kind: 'detail', id: s.id };
  }

  async addDemo(): Promise<void> {
    await this.api.call('addDemo', {});
    await this.pullOverview();
  }

  exportConfig(): Promise<ApiOutput<'exportConfig'>> {
    return this.api.call('exportConfig', {});
  }

  importConfig(file: ApiInput<'importConfig'>['file']): Promise<ApiOutput<'importConfig'>> {
    return this.api.call('importConfig', { file });
  }

  /** A page of an endpoint's captured frames after seq `after` (the frame inspector's feed pulls them). */
  frames(id: string, after: number): Promise<ApiOutput<'frames'>> {
    return this.api.call('frames', { id, after });
  }

  exportLog(format: ExportFormat): Promise<ApiOutput<'exportLog'>> {
    return this.api.call('exportLog', { format });
  }

  testChannel(index: number): Promise<ApiOutput<'testChannel'>> {
    return this.api.call('testChannel', { index });
  }

  async updateSettings(patch: SettingsPatch): Promise<void> {
    this.settings = await this.api.call('updateSettings', patch);
  }

  /** Whether a setting takes effect in this window's app. */
  applies(key: SettingsAnswer['applies'][number]): boolean {
    return this.settings?.applies.includes(key) ?? false;
  }

  isMuted(id: string): boolean {
    return this.settings?.settings.muted.includes(id) ?? false;
  }

  async setMuted(id: string, muted: boolean): Promise<void> {
    const current = this.settings?.settings.muted ?? [];
    await this.updateSettings({ muted: muted ? [...current, id] : current.filter((m) => m !== id) });
  }

  dismissNotice(key: number): void {
    this.notices = this.notices.filter((n) => n.key !== key);
  }

  /** True when the window shows a past session log. */
  get readOnly(): boolean {
    return this.session?.readOnly === true;
  }

  /** The window the charts show now. */
  get window(): Window {
    return this.frozen ?? windowFor(this.range, this.nowMono, this.historyFrom ?? 0);
  }

  get following(): boolean {
    return this.frozen === null;
  }

  inspect(w: Window = this.window): void {
    this.frozen = { ...w };
  }

  follow(): void {
    this.frozen = null;
    this.zoomedFrom = null;
  }

  setRange(key: RangeKey): void {
    this.range = key;
    this.frozen = null;
    this.zoomedFrom = null;
  }

  /** What the charts showed before a zoom (dragged across a chart, or typed), to go back to; null when not zoomed. */
  zoomedFrom = $state<{ frozen: Window | null } | null>(null);

  /** Shows [from, to] (session time) on every chart, held still; back() returns to what was shown before the first zoom. */
  zoom(w: Window): void {
    if (!(w.to > w.from)) return;
    this.zoomedFrom ??= { frozen: this.frozen };
    this.frozen = { from: w.from, to: w.to };
  }

  /** zoom() by wall-clock times (ms): a chart's x axis, a typed start and end. */
  zoomWall(fromWall: number, toWall: number): void {
    const start = this.session?.startWall ?? 0;
    this.zoom({ from: fromWall - start, to: toWall - start });
  }

  back(): void {
    if (!this.zoomedFrom) return;
    this.frozen = this.zoomedFrom.frozen;
    this.zoomedFrom = null;
  }

  wallOf(mono: number): number {
    return (this.session?.startWall ?? 0) + mono;
  }

  private sync(nowMono: number): void {
    this.offset = performance.now() - nowMono;
    this.tick(nowMono);
  }

  private tick(nowMono: number): void {
    this.nowMono = nowMono;
    const second = Math.floor(nowMono / 1000) * 1000;
    if (second !== this.healthNow) this.healthNow = second;
  }

  private applyUpdate(u: Update): void {
    this.sync(u.nowMono);
    if (u.endpoints.length || u.removed.length) {
      const next = { ...this.endpoints };
      for (const s of u.endpoints) next[s.id] = s;
      for (const id of u.removed) delete next[id];
      this.endpoints = next;
    }
    if (u.events.some((e) => e.type === 'incident-start' || e.type === 'incident-end')) void this.pullIncidents();
    for (const id of u.removed) {
      if ((this.view.kind === 'detail' || this.view.kind === 'edit') && this.view.id === id) this.view = { kind: 'overview' };
    }
  }

  private obey(c: WindowCommand): void {
    if (c.kind === 'export-progress') this.exportProgress = c.fraction >= 1 ? null : c.fraction;
    else if (c.kind === 'history') {
      this.historyProgress = c.fraction >= 1 ? null : { fraction: c.fraction, files: c.files, source: c.source };
      if (c.fraction >= 1) this.historyFrom = c.fromMono;
    } else if (c.kind === 'channels') {
      this.channels = c.channels;
    } else if (c.kind === 'focus') {
      if (this.endpoints[c.endpoint]) this.view = { kind: 'detail', id: c.endpoint };
    } else {
      const key = ++this.noticeKey;
      this.notices = [...this.notices, { ...c.notice, key }].slice(-NOTICES_SHOWN);
      setTimeout(() => this.dismissNotice(key), NOTICE_MS);
    }
  }
}
