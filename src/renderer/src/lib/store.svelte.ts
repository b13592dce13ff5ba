// The screen's state: endpoint statuses kept current by batched updates, what
// the user is looking at, and the session clock (for countdowns).
import type { Notice, SessionInfo, SettingsAnswer, Update } from '../../../shared/api';
import { WsmonError } from '../../../shared/errors';
import type { MonitorApi } from '../../../shared/transport';
import type { SettingsPatch } from '../../../shared/settings';
import type { EndpointStatus } from '../../../shared/status';
import { windowFor, type RangeKey, type Window } from './ranges';

const SPARK_POINTS = 40;
/** Notices shown at once; older ones give way. */
const NOTICES_SHOWN = 4;
const NOTICE_MS = 15_000;

export type View = { kind: 'overview' } | { kind: 'detail'; id: string } | { kind: 'add' } | { kind: 'edit'; id: string };

export class Store {
  // Raw (not deeply reactive): statuses are replaced whole by each update, and deep proxies over
  // hundreds of stats objects cost more than re-reading them.
  endpoints = $state.raw<Record<string, EndpointStatus>>({});
  spark = $state.raw<Record<string, number[]>>({});
  session = $state<SessionInfo | null>(null);
  /** Session-monotonic "now", advanced locally between updates so countdowns run smoothly. */
  nowMono = $state(0);
  view = $state<View>({ kind: 'overview' });
  range = $state<RangeKey>('5m');
  /** Set while the user inspects: the charts stay on this window instead of following. */
  frozen = $state<Window | null>(null);
  problem = $state<string | null>(null);
  /** Progress of a session-log export the app is writing (desktop), 0..1, or null. */
  exportProgress = $state<number | null>(null);
  /** The app settings, or null where the window has none (a plain `wsmon web`, a past log). */
  settings = $state.raw<SettingsAnswer | null>(null);
  /** Down/recovered notices shown in the window (where there are no desktop notifications). */
  notices = $state.raw<(Notice & { key: number })[]>([]);
  private noticeKey = 0;
  private offset = 0;
  private readonly updateListeners = new Set<(u: Update) => void>();

  constructor(readonly api: MonitorApi) {}

  async start(): Promise<void> {
    this.api.subscribe((u) => this.apply(u));
    const { session, endpoints, notice } = await this.api.call('list', {});
    this.session = session;
    this.problem = notice;
    this.sync(session.nowMono);
    this.endpoints = Object.fromEntries(endpoints.map((s) => [s.id, s]));
    // A past session's clock stands still at its end.
    if (!this.readOnly) setInterval(() => (this.nowMono = performance.now() - this.offset), 100);
    this.settings = await this.api.call('settings', {}).catch((e: unknown) => {
      if (e instanceof WsmonError && e.code === 'UNAVAILABLE') return null;
      throw e;
    });
    window.addEventListener('wsmon-bridge-lost', () => (this.problem = 'Lost the connection to wsmon. Restart `wsmon web` and reload this page.'));
  }

  /** Listens to raw updates (charts append live samples from them). */
  onUpdate(listener: (u: Update) => void): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
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
    return this.frozen ?? windowFor(this.range, this.nowMono);
  }

  get following(): boolean {
    return this.frozen === null;
  }

  inspect(w: Window = this.window): void {
    this.frozen = { ...w };
  }

  follow(): void {
    this.frozen = null;
  }

  setRange(key: RangeKey): void {
    this.range = key;
    this.frozen = null;
  }

  wallOf(mono: number): number {
    return (this.session?.startWall ?? 0) + mono;
  }

  private sync(nowMono: number): void {
    this.offset = performance.now() - nowMono;
    this.nowMono = nowMono;
  }

  private apply(u: Update): void {
    this.sync(u.nowMono);
    if (u.endpoints.length || u.removed.length) {
      const next = { ...this.endpoints };
      for (const s of u.endpoints) next[s.id] = s;
      for (const id of u.removed) delete next[id];
      this.endpoints = next;
    }
    if (u.removed.length || Object.keys(u.rtt).length) {
      const spark = { ...this.spark };
      for (const id of u.removed) delete spark[id];
      for (const [id, points] of Object.entries(u.rtt)) spark[id] = [...(spark[id] ?? []), ...points.map((p) => p.rttMs)].slice(-SPARK_POINTS);
      this.spark = spark;
    }
    for (const id of u.removed) {
      if ((this.view.kind === 'detail' || this.view.kind === 'edit') && this.view.id === id) this.view = { kind: 'overview' };
    }
    if (u.exportProgress !== undefined) this.exportProgress = u.exportProgress >= 1 ? null : u.exportProgress;
    if (u.focus && this.endpoints[u.focus]) this.view = { kind: 'detail', id: u.focus };
    for (const n of u.notices ?? []) {
      const key = ++this.noticeKey;
      this.notices = [...this.notices, { ...n, key }].slice(-NOTICES_SHOWN);
      setTimeout(() => this.dismissNotice(key), NOTICE_MS);
    }
    for (const l of this.updateListeners) l(u);
  }
}
