// MonitorApi: the one way a screen talks to the engine, whatever carries it
// (Electron IPC or the web bridge). Every call's payload has a schema here;
// the main process and the bridge validate incoming calls with it, and the
// renderer validates its forms with the same one.
import { z } from 'zod';
import { endpointConfigSchema, type EndpointConfig } from './config';
import type { ErrorBody } from './errors';
import { EXPORT_FORMATS, EXPORT_FORMAT_WORDS } from './export-format';
import type { ConfigFile } from './config-file';
import type { FramesAnswer } from './frames';
import type { IncidentView } from './incidents';
import { CHANNELS_MAX, type ChannelStatus } from './settings/channels';
import { EVENT_TYPES, type WsmonEvent } from './events';
import type { HistoryWindow, StateSegment, UptimeSpan } from './series';
import { settingsPatchSchema, type AppSettings, type SettingKey } from './settings/app';
import type { EndpointStatus } from './status';
import { listQuerySchema, pageSchema, type GroupRow, type ListResult, type ListRow } from './list-query';

/** Spans per endpoint in the overview: one per 2.5 s over 5 minutes, per 30 s over an hour. */
export const OVERVIEW_COLUMNS = 120;

const id = z
  .string({ error: (iss) => (iss.input === undefined ? 'endpoint id is required' : `endpoint id must be text (got ${typeof iss.input})`) })
  .min(1, { error: 'endpoint id is required' })
  .max(64);
const time = z.number({ error: 'time must be a number of milliseconds' }).refine((n) => !Number.isNaN(n), { error: 'time must be a number' });
const byId = z.object({ id }).strict();
const range = { from: time, to: time };

/** Endpoints a window watches besides its list's page (the one open), and names an act's answer lists at most. */
export const WATCH_MAX = 8;
export const NAMED_MAX = 20;
/** Ids an act on picked endpoints names at most (picked one by one; "all shown" travels as the list's query). */
export const PICKED_MAX = 1000;
/** Entries of a config file per import part, and endpoints per export page: each message far under the bridge's 1 MiB. */
export const TRANSFER_PART = 500;
export const ACTIONS = ['pause', 'resume', 'reconnectNow', 'connect', 'disconnect', 'remove'] as const;
export type Action = (typeof ACTIONS)[number];

export const API_SCHEMAS = {
  /** The session's clock and what the window should say at start. */
  session: z.object({}).strict(),
  /**
   * A page of the endpoint list as `query` orders it (every endpoint filtered, sorted and grouped here), with the
   * statuses of its endpoints. The window is then sent their changes, and the page again when its order changes.
   */
  rows: listQuerySchema.extend(pageSchema),
  /** Sets the endpoints the window also shows (an endpoint's page) and answers their statuses; their changes are sent. */
  watch: z.object({ ids: z.array(id).max(WATCH_MAX) }).strict(),
  /** One action on many endpoints: those picked (`ids`), or every one a list's query leaves (`query`, but `except`). */
  actOn: z
    .object({
      action: z.enum(ACTIONS),
      ids: z.array(id).max(PICKED_MAX).optional(),
      query: listQuerySchema.optional(),
      except: z.array(id).max(PICKED_MAX).default([]),
    })
    .strict()
    .refine((p) => (p.ids === undefined) !== (p.query === undefined), { error: 'give the endpoints picked (ids) or a list query (query), one of them' }),
  /** One endpoint's settings, for the edit form. */
  config: byId,
  add: z.object({ config: endpointConfigSchema, connect: z.boolean().default(true) }).strict(),
  update: z.object({ id, config: endpointConfigSchema }).strict(),
  remove: byId,
  connect: byId,
  disconnect: byId,
  pause: byId,
  resume: byId,
  reconnectNow: byId,
  /** RTT samples, buckets, state segments and recent events of one endpoint in [from, to]. */
  history: z.object({ id, ...range }).strict(),
  /** Recent non-RTT events, newest last; all endpoints unless `id`. */
  events: z
    .object({
      id: id.optional(),
      ...range,
      types: z.array(z.enum(EVENT_TYPES)).optional(),
      limit: z.number().int().min(1).max(5000).default(500),
    })
    .strict(),
  /** The endpoint list as a config file, with secrets (header values, URL passwords and tokens) masked: a page of endpoints from `offset`. */
  exportConfig: z.object({ offset: z.number().int().min(0).default(0) }).strict(),
  /**
   * Adds the endpoints of a config file that are not there yet (matched by id or name), all or none. A long file
   * travels in parts (at most TRANSFER_PART entries each): the first part opens an upload, each next one names it
   * (`upload`), and the part with `more` false adds them all.
   */
  importConfig: z.object({ file: z.unknown(), upload: z.string().max(64).optional(), more: z.boolean().default(false) }).strict(),
  /** Exports the session log: a one-time download address (web) or the file the user chose (desktop). */
  exportLog: z.object({ format: z.enum(EXPORT_FORMATS, { error: `format must be ${EXPORT_FORMAT_WORDS}` }) }).strict(),
  /** Starts local demo servers and adds one endpoint per scenario (those not already present). */
  addDemo: z.object({}).strict(),
  /** The app settings, and which of them mean something where this window runs. */
  settings: z.object({}).strict(),
  /** Changes some settings (those left out stay); saved at once. */
  updateSettings: settingsPatchSchema,
  /** An endpoint's captured frames after seq `after` (0: from the oldest held), a page at a time, and the handshakes they followed. */
  frames: z.object({ id, after: z.number().int().min(0).default(0) }).strict(),
  /** The session's incidents, newest first (an endpoint's only, with `id`), and the last notices, shown and withheld. */
  incidents: z.object({ id: id.optional() }).strict(),
  /** How each alert channel stands (ok, failing and why, retrying when). */
  channels: z.object({}).strict(),
  /** Sends a test notice to alert channel `index` now and says how it went. */
  testChannel: z
    .object({
      index: z
        .number()
        .int()
        .min(0)
        .max(CHANNELS_MAX - 1),
    })
    .strict(),
  /**
   * A page of the overview's rows as `query` orders them, over [from, to] in equal spans (at most `columns`, no
   * shorter than the usual heartbeat): median and p90 RTT, misses and state per span.
   */
  overview: listQuerySchema.extend({ ...pageSchema, ...range, columns: z.number().int().min(10).max(1000).default(OVERVIEW_COLUMNS) }),
} as const;

export type Method = keyof typeof API_SCHEMAS;
export const METHODS = Object.keys(API_SCHEMAS) as Method[];
export type ApiInput<M extends Method> = z.input<(typeof API_SCHEMAS)[M]>;
export type ApiPayload<M extends Method> = z.output<(typeof API_SCHEMAS)[M]>;

export interface SessionInfo {
  app: string;
  version: string;
  /** Wall-clock ms when the session's monotonic clock read 0. */
  startWall: number;
  /** The session's monotonic time when this answer was made. */
  nowMono: number;
  /** Where the history rebuilt from earlier runs begins (negative: before this session), when there is one. */
  historyFromMono?: number | null;
  /** Why the kernel's RTT of a socket cannot be read on this machine (every network RTT is null), or null when it can. */
  networkRtt?: string | null;
  /** Set when the window shows a past session log: nothing can be changed. */
  readOnly?: boolean;
  source?: string;
}

export interface HistoryAnswer extends HistoryWindow {
  id: string;
  states: StateSegment[];
  /** The events (markers, the events table) are complete from this time; null: every event since the records began is held. */
  eventsCompleteFrom: number | null;
  /**
   * Share of monitored time spent open over each of UPTIME_SPANS back from now (as far as the records reach back),
   * or null with no monitored time; `since`: from when it was judged, later than the span's start where the records
   * begin later (exact from the state changes where they reach back, else by the hour).
   */
  uptime: Record<UptimeSpan, { value: number | null; since: number | null }>;
  events: WsmonEvent[];
}

/** One overview row's spans (shared/chart-data.ts makes them from an endpoint's history). */
export interface OverviewCells {
  /**
   * Median RTT of the samples in each span (ms), null where there were none; where only history buckets
   * reach, their medians averaged by samples (as an hour consolidates its minutes).
   */
  rttMs: (number | null)[];
  /** The slowest tenth's edge (p90) in each span, found the same way: two colours in a cell, a jittery span. */
  p90Ms: (number | null)[];
  /** Heartbeats answered in each span (samples): with `missed`, the span's loss. */
  answered: number[];
  /** Mean network RTT (the kernel's, of the same socket) of the samples that carried one, null where none did. */
  networkMs: (number | null)[];
  /** Heartbeats missed (or, passive, silences) in each span. */
  missed: number[];
  /** Each span's most telling state, one digit per span: its index in CELL_STATES. */
  states: string;
}

export interface OverviewSeries extends OverviewCells {
  id: string;
  name: string;
}

/** A page of a list's rows (group headers and endpoints), and what the list's header says. */
export interface RowsPage<R = ListRow> extends Omit<ListResult, 'rows'> {
  nowMono: number;
  /** Endpoints in the session. */
  count: number;
  /** Rows the whole list has (headers included): the scroll's length. */
  total: number;
  offset: number;
  rows: R[];
}

export interface RowsAnswer extends RowsPage {
  /** The statuses of the page's endpoints. */
  statuses: EndpointStatus[];
}

export type OverviewRow = GroupRow | (Extract<ListRow, { kind: 'endpoint' }> & OverviewSeries);

/** What an import did; names are listed up to NAMED_MAX of each kind, with the counts of all. */
export interface ImportAnswer {
  /** The upload's id while more parts are expected, else null. */
  upload: string | null;
  /** Entries received so far. */
  received: number;
  added: { count: number; names: string[] };
  /** Positions are 1-based; names are the entries' own (their URL, with secrets masked, when they have none). */
  skipped: { count: number; first: { position: number; name: string }[] };
  rejected: { count: number; first: { position: number; name: string; problems: string }[] };
}

export interface ApiOutputs {
  session: { session: SessionInfo; count: number; notice: string | null };
  rows: RowsAnswer;
  watch: EndpointStatus[];
  actOn: { acted: number; failed: { count: number; names: string[] } };
  config: EndpointConfig;
  add: EndpointStatus;
  update: EndpointStatus;
  remove: null;
  connect: null;
  disconnect: null;
  pause: null;
  resume: null;
  reconnectNow: null;
  history: HistoryAnswer;
  addDemo: EndpointStatus[];
  /** `endpoints` holds the page; `next`: the offset of the next page, null after the last. */
  exportConfig: ConfigFile & { total: number; next: number | null };
  exportLog: { download?: string; path?: string; events?: number };
  importConfig: ImportAnswer;
  events: WsmonEvent[];
  overview: RowsPage<OverviewRow> & { columns: number };
  frames: FramesAnswer;
  /** `names`: the members' names (those still there), for the window to name them. */
  incidents: { incidents: IncidentView[]; notices: NoticeRecord[]; names: Record<string, string> };
  channels: ChannelStatus[];
  testChannel: { ok: true } | { ok: false; error: string };
  settings: SettingsAnswer;
  updateSettings: SettingsAnswer;
}

export interface SettingsAnswer {
  settings: AppSettings;
  /** The settings that take effect here (keepInTray only in the desktop app). */
  applies: SettingKey[];
  /** The muted endpoints' names (those still there): the window names them without holding every endpoint. */
  mutedNames: Record<string, string>;
  /** What earlier runs' session logs and this run's take on disk now (a data folder only). */
  logs?: { runs: number; bytes: number };
}

/**
 * Something to tell a person: an endpoint went down (after its grace period)
 * or recovered, or an incident (endpoints down together) opened or ended. An
 * incident's notice names its first member as `endpoint` (the page a click
 * opens, where the incident is listed) and the incident's id.
 */
export interface Notice {
  endpoint: string;
  kind: 'down' | 'recovered' | 'rate-limited' | 'incident' | 'incident-over';
  title: string;
  body: string;
  incident?: string;
}

/** A notice as the session recorded it: shown, or withheld (and why: its endpoint was inside an incident, whose notice was shown instead). */
export interface NoticeRecord {
  ts: string;
  notice: Notice;
  shown: boolean;
  withheld?: 'incident';
}
export type ApiOutput<M extends Method> = ApiOutputs[M];

/**
 * What changed since the last update, of what this window shows. Sent at most ~10 times a second, only when
 * something changed; its size does not grow with the number of endpoints.
 */
export interface Update {
  nowMono: number;
  /** Endpoints the window shows (its list's page, those it watches) whose status changed. */
  endpoints: EndpointStatus[];
  /** Of those, the ones removed. */
  removed: string[];
  /** The window's list page again, when its rows or header changed (at most once a second, at once on an add or remove). */
  rows?: RowsAnswer;
  /** Non-RTT events since the last update, oldest first (at most UPDATE_EVENT_LIMIT). */
  events: WsmonEvent[];
}

/** What the app asks of a window, apart from data. */
export type WindowCommand =
  /** Show an endpoint (a tray item or a notification was clicked). */
  | { kind: 'focus'; endpoint: string }
  /** Progress of a session-log export the app is writing, 0..1. */
  | { kind: 'export-progress'; fraction: number }
  /** A notice to show in the window, where the app has no desktop notifications (`wsmon web --data`). */
  | { kind: 'notice'; notice: Notice }
  /** How the alert channels stand, whenever that changes (one failing is said in the window). */
  | { kind: 'channels'; channels: ChannelStatus[] }
  /**
   * Progress of bringing back history from earlier runs (data folder): 0..1, then where history now begins;
   * `source`: from the history snapshot and the logs since (by logs read), or by replaying the logs (by bytes read).
   */
  | { kind: 'history'; fraction: number; files: number; fromMono: number | null; source: 'snapshot' | 'logs' };

/** Everything the app pushes to a window: a batch of data, or a command. */
export type Push = { update: Update } | { command: WindowCommand };
export const UPDATE_EVENT_LIMIT = 200;

export type ApiErrorBody = ErrorBody;

/** Every answer travels as this envelope, so errors keep their code and problems across IPC. */
export type Envelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };
