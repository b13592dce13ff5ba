// The screen's state: endpoint statuses kept current by batched updates, what
// the user is looking at, the session clock (for countdowns), and the history
// of what is shown, pulled from one place. Views read it and call its actions;
// only this file talks to the API.
import { untrack } from 'svelte';
import {
  OVERVIEW_COLUMNS,
  TRANSFER_PART,
  type Action,
  type ApiOutput,
  type HistoryAnswer,
  type ImportAnswer,
  type Notice,
  type RowsAnswer,
  type SessionInfo,
  type SettingsAnswer,
  type Update,
  type WindowCommand,
} from '../../../shared/api';
import type { ConfigFile } from '../../../shared/config-file';
import { DEFAULT_LIST_QUERY, ROWS_PAGE_MAX, type ListQuery } from '../../../shared/list-query';
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
/** Rows asked for beyond those in sight, each side: a scroll of a few rows needs no call. */
const OVERSCAN = 30;

export type EndpointAction = Exclude<Action, 'remove'>;
/** Endpoints an action is for: those picked, or every one a list's query leaves but some. */
export type Target = { ids: string[] } | { query: ListQuery; except: string[] };

/** Rows of a list in sight: from row `first`, `count` of them. */
export interface InSight {
  first: number;
  count: number;
}

/** The page to ask for around the rows in sight, or null when `held` covers them. */
function pageFor(sight: InSight, held: { offset: number; rows: unknown[]; total: number } | null): { offset: number; limit: number } | null {
  const end = sight.first + sight.count;
  if (held && held.offset <= Math.max(0, sight.first - 5) && held.offset + held.rows.length >= Math.min(held.total, end + 5)) return null;
  const offset = Math.max(0, sight.first - OVERSCAN);
  return { offset, limit: Math.min(ROWS_PAGE_MAX, end + OVERSCAN - offset) };
}

export type View = { kind: 'overview' } | { kind: 'detail'; id: string } | { kind: 'add' } | { kind: 'edit'; id: string };

export class Store {
  // Raw (not deeply reactive): statuses are replaced whole by each update, and deep proxies over
  // hundreds of stats objects cost more than re-reading them. Only the statuses the window shows: its list's page and
  // the endpoint open (the engine's side orders and filters every endpoint; rows()).
  endpoints = $state.raw<Record<string, EndpointStatus>>({});
  /** Endpoints in the session. */
  count = $state(0);
  /** The endpoint list's filters, sort and grouping; setListQuery() changes them. */
  listQuery = $state.raw<ListQuery>(DEFAULT_LIST_QUERY);
  /** The page of the endpoint list held (rows around those in sight), and the list's header. */
  list = $state.raw<RowsAnswer | null>(null);
  /** The overview's grouping (its own, beside the list's) and the page of its rows held. */
  overviewQuery = $state.raw<ListQuery>({ ...DEFAULT_LIST_QUERY, grouped: true });
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
  /** The overview's rows in sight and around (RTT and states per span), pulled on demand. */
  overview = $state.raw<ApiOutput<'overview'> | null>(null);
  /** The session's incidents, newest first, and the last notices (shown and withheld); pulled at start and when one opens or ends. */
  incidents = $state.raw<ApiOutput<'incidents'>>({ incidents: [], notices: [], names: {} });
  /** How the alert channels stand (pushed when that changes); a failing one is said at the top of the window. */
  channels = $state.raw<ChannelStatus[]>([]);
  /** Why the last pull failed, or null. */
  pullError = $state<string | null>(null);
  private noticeKey = 0;
  private offset = 0;
  private listSight: InSight = { first: 0, count: 40 };
  private overviewSight: InSight = { first: 0, count: 40 };
  /** Calls for list pages made (a push's page is taken only when none is on its way: it may be of an older query). */
  private listAsked = 0;
  private listAnswered = 0;
  /** While the user is on the list its rows stay where they are; the newest page waits here. */
  private listHeld = false;
  /** The query and page of the list call on its way, if any. */
  private listComing: string | null = null;
  private pendingList: RowsAnswer | null = null;
  /** The endpoints the window watches besides its list's page. */
  private watching: string[] = [];
  /** Endpoints asked to be watched that the engine does not have (an endpoint page left open after its removal). */
  missing = $state.raw<string[]>([]);

  constructor(private readonly api: MonitorApi) {}

  async start(): Promise<void> {
    this.api.subscribe((p) => ('update' in p ? this.applyUpdate(p.update) : this.obey(p.command)));
    const { session, count, notice } = await this.api.call('session', {});
    this.session = session;
    this.count = count;
    this.historyFrom = session.historyFromMono ?? null;
    this.problem = notice;
    this.sync(session.nowMono);
    await this.pullList();
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
      $effect(() => this.watchOpen());
    });
  }

  /** The endpoint open (its page, its form) is watched: its status is kept current wherever it is in the list. */
  private watchOpen(): void {
    const view = this.view;
    const ids = view.kind === 'detail' || view.kind === 'edit' ? [view.id] : [];
    this.watching = ids;
    void this.api.call('watch', { ids }).then(
      (statuses) => {
        this.missing = ids.filter((id) => !statuses.some((s) => s.id === id));
        if (statuses.length) this.endpoints = { ...this.endpoints, ...Object.fromEntries(statuses.map((s) => [s.id, s])) };
      },
      (e: unknown) => (this.pullError = (e as Error).message),
    );
  }

  /** The list's rows in sight changed (a scroll, a resize): a page around them is asked for when the one held does not cover them. */
  showListRows(sight: InSight): void {
    this.listSight = sight;
    if (pageFor(sight, this.list)) void this.pullList();
  }

  /** Changes the list's filters, sort or grouping; the rows come back from the top. */
  setListQuery(patch: Partial<ListQuery>): void {
    this.listQuery = { ...this.listQuery, ...patch };
    this.listSight = { first: 0, count: this.listSight.count };
    void this.pullList(true);
  }

  /** While the pointer or the focus is on the list its rows keep their places; on leaving, the newest order shows. */
  holdList(on: boolean): void {
    this.listHeld = on;
    if (!on && this.pendingList) this.takeList(this.pendingList);
  }

  private async pullList(fresh = false): Promise<void> {
    const page = (fresh ? null : pageFor(this.listSight, this.list)) ?? pageFor(this.listSight, null)!;
    // The same page of the same query already on its way (the list's first sight, while the first page comes): no second call.
    const key = JSON.stringify([this.listQuery, page]);
    if (key === this.listComing) return;
    this.listComing = key;
    const asked = ++this.listAsked;
    try {
      const answer = await this.api.call('rows', { ...this.listQuery, ...page }).finally(() => {
        if (this.listComing === key) this.listComing = null;
      });
      if (asked < this.listAnswered) return;
      this.listAnswered = asked;
      this.pendingList = null;
      this.takeList(answer);
      this.pullError = null;
    } catch (e) {
      // Answered, if by an error: the pages pushed are taken again (they follow the query asked for).
      this.listAnswered = Math.max(this.listAnswered, asked);
      this.pullError = (e as Error).message;
    }
  }

  private takeList(page: RowsAnswer): void {
    this.pendingList = null;
    this.list = page;
    this.count = page.count;
    // The statuses held are those shown: the page's, and the endpoints watched.
    const kept = Object.fromEntries(this.watching.flatMap((id) => (this.endpoints[id] ? [[id, this.endpoints[id]]] : [])));
    this.endpoints = { ...kept, ...Object.fromEntries(page.statuses.map((s) => [s.id, s])) };
  }

  /** The overview's rows in sight changed: its page is pulled when the one held does not cover them. */
  showOverviewRows(sight: InSight): void {
    this.overviewSight = sight;
    if (this.overview && pageFor(sight, this.overview)) void this.pullOverview();
  }

  setOverviewQuery(patch: Partial<ListQuery>): void {
    this.overviewQuery = { ...this.overviewQuery, ...patch };
    void this.pullOverview();
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
    void this.count; // an endpoint added or removed shows at once
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
    const page = pageFor(this.overviewSight, null)!;
    try {
      this.overview = await this.api.call('overview', { ...this.overviewQuery, ...page, from: w.from, to: w.to, columns: OVERVIEW_COLUMNS });
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

  /** One action on several endpoints (those picked, or what the list's filters leave), in one call. */
  async actOn(target: Target, action: Action): Promise<ApiOutput<'actOn'>> {
    const answer = await this.api.call('actOn', { action, ...target });
    // An endpoint page whose endpoint went is left for the overview (its removal's update says so too).
    if (action === 'remove' && 'id' in this.view && 'ids' in target && target.ids.includes(this.view.id)) this.view = { kind: 'overview' };
    return answer;
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

  /** The endpoint list as one config file, gathered a page at a time. */
  async exportConfig(): Promise<ConfigFile> {
    const { total: _t, next: _n, ...first } = await this.api.call('exportConfig', { offset: 0 });
    const endpoints = [...first.endpoints];
    for (let next = _n; next !== null;) {
      const page = await this.api.call('exportConfig', { offset: next });
      endpoints.push(...page.endpoints);
      next = page.next;
    }
    return { ...first, endpoints };
  }

  /** Imports a config file's endpoints in parts (each message bounded), all or none; `progress` is told the entries sent. */
  async importConfig(file: unknown, progress: (sent: number, total: number) => void = () => {}): Promise<ImportAnswer> {
    // A bare list is the first format's file: its parts are lists too.
    const entries: unknown = Array.isArray(file) ? file : (file as { endpoints?: unknown } | null)?.endpoints;
    // Not a list: it goes as it is, for the engine to say what is wrong with it.
    if (!Array.isArray(entries)) return this.api.call('importConfig', { file });
    let upload: string | undefined;
    for (let at = 0; ; at += TRANSFER_PART) {
      const more = at + TRANSFER_PART < entries.length;
      const slice = entries.slice(at, at + TRANSFER_PART);
      const part = Array.isArray(file) ? slice : { ...(file as object), endpoints: slice };
      const answer = await this.api.call('importConfig', { file: part, upload, more });
      progress(Math.min(entries.length, at + TRANSFER_PART), entries.length);
      if (!more) return answer;
      upload = answer.upload!;
    }
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
    // A page pushed while a call for another is on its way may be of the query before it.
    if (u.rows && this.listAnswered === this.listAsked) {
      if (this.listHeld && this.list) {
        // The rows keep their places; what the header says (the summary, the counts, the tags) is the newest.
        this.pendingList = u.rows;
        const { rows: _r, offset: _o, total: _t, statuses, ...head } = u.rows;
        this.list = { ...this.list, ...head };
        this.count = head.count;
        this.endpoints = { ...this.endpoints, ...Object.fromEntries(statuses.filter((s) => this.endpoints[s.id]).map((s) => [s.id, s])) };
      } else this.takeList(u.rows);
    }
    if (u.endpoints.length || u.removed.length) {
      const next = { ...this.endpoints };
      for (const s of u.endpoints) next[s.id] = s;
      for (const id of u.removed) delete next[id];
      this.endpoints = next;
      // A page waiting for the user to leave the list must not bring back statuses older than these when it shows.
      if (this.pendingList && u.endpoints.length) {
        const fresh = Object.fromEntries(u.endpoints.map((s) => [s.id, s]));
        this.pendingList = { ...this.pendingList, statuses: this.pendingList.statuses.map((s) => fresh[s.id] ?? s) };
      }
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
      this.view = { kind: 'detail', id: c.endpoint };
    } else {
      const key = ++this.noticeKey;
      this.notices = [...this.notices, { ...c.notice, key }].slice(-NOTICES_SHOWN);
      setTimeout(() => this.dismissNotice(key), NOTICE_MS);
    }
  }
}
