// Serves MonitorApi calls for any transport: validates the method and its
// payload against the shared schemas, runs it on the monitor, and answers
// with an envelope. A bad call gets a clear error and changes nothing.
import { z, ZodError } from 'zod';
import {
  API_SCHEMAS,
  METHODS,
  NAMED_MAX,
  TRANSFER_PART,
  type ApiErrorBody,
  type ApiOutputs,
  type ApiPayload,
  type Envelope,
  type HistoryAnswer,
  type ImportAnswer,
  type Method,
  type OverviewRow,
  type SettingsAnswer,
  type NoticeRecord,
} from '../../shared/api';
import { listRows } from '../../shared/list-query';
import { ClientView, rowsPage } from './client-view';
import type { ChannelStatus } from '../../shared/settings/channels';
import { APP_NAME, APP_VERSION } from '../../shared/app';
import { ConfigError, describeProblems, toProblems, UnavailableError, WsmonError } from '../../shared/errors';
import type { SettingsPatch } from '../../shared/settings/app';
import { endpointConfigSchema, parseEndpoint, type EndpointConfigInput, type EndpointSettings } from '../../shared/config';
import { configFileSchema, toSharedConfigFile } from '../../shared/config-file';
import { migrate } from './config-store';
import type { ExportFormat } from '../../shared/export-format';
import { keyOf } from './reconcile';
import { redactSecretShapes, redactUrl } from '../../shared/redact';
import { maskSecrets, unmaskSecrets } from '../../shared/endpoint-secrets';
import { overviewCells, overviewColumns, type ChartSource } from '../../shared/chart-data';
import type { Monitor } from '../engine/monitor';
import { kernelRtt } from '../engine/kernel-rtt';
import type { Records } from '../record/records';
import type { LogReplay } from '../log/replay';

/** How an entry of an imported file is named to the user: its name, else its URL, else its position. */
function entryLabel(entry: unknown, position: number): string {
  const e = entry as { name?: unknown; url?: unknown } | null;
  const text = typeof e?.name === 'string' && e.name.trim() ? e.name : typeof e?.url === 'string' ? e.url : `entry ${position}`;
  return redactUrl(text).slice(0, 100);
}

export type ApiHandler = (method: unknown, payload: unknown) => Promise<Envelope>;

type Handlers = { [M in Method]: (p: ApiPayload<M>) => ApiOutputs[M] | Promise<ApiOutputs[M]> };

export interface ApiHandlerOptions {
  /** Provides the demo endpoints (starting their servers); without it, addDemo is unavailable. */
  demo?: () => Promise<EndpointConfigInput[]>;
  /** Exports the session log; without it, exportLog is unavailable. */
  exportLog?: (format: ExportFormat) => Promise<ApiOutputs['exportLog']>;
  /** Something the window should tell the user at start (e.g. the saved config could not be used). */
  notice?: () => string | null;
  /** Where rebuilt history begins (see SessionInfo.historyFromMono). */
  historyFrom?: () => number | null;
  /** The app settings; without them, settings and updateSettings are unavailable. */
  settings?: SettingsAccess;
  /** Settles once the endpoint changes made so far are on disk: a change is answered only then. */
  persisted?: () => Promise<void>;
  /** The last notices, shown and withheld (a live session's alerts). */
  notices?: () => NoticeRecord[];
  /** The alert channels: how they stand, and a test sent to one. */
  channels?: { statuses(): ChannelStatus[]; test(index: number): Promise<ApiOutputs['testChannel']> };
  /** What the window these calls come from shows (its pushes are made from it); one of its own without. */
  view?: ClientView;
}

export interface SettingsAccess {
  get(): SettingsAnswer;
  update(patch: SettingsPatch): SettingsAnswer;
}

type ReadMethod = 'history' | 'events' | 'overview' | 'incidents' | 'rows' | 'watch';

/** The views: the live session's records answer them, and so do a replayed log's. */
function readHandlers(view: Records, client: ClientView, notices: () => NoticeRecord[] = () => []): Pick<Handlers, ReadMethod> {
  return {
    rows: (q) => client.rows(q),
    watch: ({ ids }) => client.watch(ids),
    incidents: ({ id }) => {
      const incidents = view.incidents.view(id === undefined ? undefined : view.recorder(id).incidents);
      const members = new Set(incidents.flatMap((i) => i.members).filter((m) => view.has(m)));
      return {
        incidents,
        notices: notices().filter((n) => id === undefined || n.notice.endpoint === id),
        names: Object.fromEntries([...members].map((m) => [m, view.recorder(m).name])),
      };
    },
    history: ({ id, from, to }) => historyOf(view, id, from, to),
    events: ({ id, from, to, types, limit }) => {
      const ids = id !== undefined ? [view.recorder(id).id] : view.ids();
      const wanted = types ? new Set<string>(types) : null;
      const all = ids.flatMap((i) => view.recorder(i).events(from, to)).filter((e) => !wanted || wanted.has(e.type));
      return all.sort((a, b) => a.mono - b.mono).slice(-limit);
    },
    overview: ({ from, to, columns: most, ...q }) => {
      const items = view.items();
      const page = rowsPage(view, q, items);
      // Spans no shorter than the usual heartbeat, over every endpoint (not the page's): one width for every row.
      const columns = overviewColumns(
        to - from,
        items.map((it) => it.heartbeatMs),
        most,
      );
      // From the same history the endpoint's page draws; a removed endpoint (a past log's) has no data after its
      // removal, not a "paused" stretch.
      const rows = page.rows.map((row): OverviewRow => {
        if (row.kind === 'group') return row;
        const source = chartSourceOf(view, row.id, from, to);
        const rec = view.recorder(row.id);
        const states = rec.removed ? source.states.slice(0, -1) : source.states;
        return { ...row, name: rec.name, ...overviewCells({ ...source, states }, from, to, columns) };
      });
      return { ...page, rows, columns };
    },
  };
}

/** The records one endpoint's charts are drawn from, over [from, to]. */
function chartSourceOf(view: Records, id: string, from: number, to: number): ChartSource {
  const rec = view.recorder(id);
  return { ...rec.history.query(from, to), states: rec.timeline.segments(from, to, view.now()), events: rec.events(from, to) };
}

/** The endpoint page's answer: its chart records, and the figures only that page shows (every overview row does not need them). */
function historyOf(view: Records, id: string, from: number, to: number): HistoryAnswer {
  const rec = view.recorder(id);
  const now = view.now();
  return {
    id,
    ...chartSourceOf(view, id, from, to),
    eventsCompleteFrom: rec.eventsCompleteFrom,
    uptime: rec.uptimes(now),
  };
}

/** Serves a past session log: the views work, every command that would change something says why it cannot. */
export function createReadOnlyApiHandler(replay: LogReplay): ApiHandler {
  const readOnly = () => {
    throw new UnavailableError(`this is a past session log (${replay.source}), shown read-only`);
  };
  const handlers = {
    ...Object.fromEntries(METHODS.map((m) => [m, readOnly])),
    ...readHandlers(replay.records, new ClientView(replay.records)),
    frames: () => {
      throw new UnavailableError('frames are held only by a running session, never written to its log; this is a past session log');
    },
    session: () => ({
      session: { app: APP_NAME, version: APP_VERSION, startWall: replay.startWall, nowMono: replay.now(), readOnly: true, source: replay.source },
      count: replay.records.size,
      notice: `Viewing ${replay.source}, read-only (${replay.describe()}).`,
    }),
  } as unknown as Handlers;
  return dispatch(handlers);
}

export function createApiHandler(monitor: Monitor, records: Records, options: ApiHandlerOptions = {}): ApiHandler {
  const settingsOrFail = () => {
    if (!options.settings) throw new UnavailableError('settings are kept by the desktop app and by wsmon web --data DIR; this window has none');
    return options.settings;
  };
  /** The answer to a change, once the change is on disk (where endpoints persist): a crash never loses an acknowledged change. */
  const saved = async <T>(answer: T): Promise<T> => {
    try {
      await options.persisted?.();
    } catch (e) {
      throw new UnavailableError(`the change was made but could not be saved (${(e as Error).message}); it will be lost when wsmon stops`);
    }
    return answer;
  };
  const importing = new Imports(monitor);
  const handlers: Handlers = {
    ...readHandlers(records, options.view ?? new ClientView(records), options.notices),
    session: () => ({
      session: {
        app: APP_NAME,
        version: APP_VERSION,
        startWall: monitor.startWall,
        nowMono: monitor.now(),
        historyFromMono: options.historyFrom?.() ?? null,
        networkRtt: kernelRtt().unavailable,
      },
      count: records.size,
      notice: options.notice?.() ?? null,
    }),
    actOn: async ({ action, ids, query, except }) => {
      const skip = new Set(except);
      const targets = [...new Set(ids ?? listRows(records.items(), query!).rows.flatMap((r) => (r.kind === 'endpoint' && !skip.has(r.id) ? [r.id] : [])))];
      const nameOf = (id: string) => (monitor.has(id) ? monitor.config(id).name : id);
      // Removals close their connections together, not one after another; names are taken before they go.
      const names = targets.map(nameOf);
      const results = await Promise.allSettled(targets.map(async (id) => (action === 'remove' ? monitor.remove(id) : monitor[action](id))));
      const failed = targets.flatMap((_, i) => (results[i]!.status === 'rejected' ? [names[i]!] : []));
      const answer = { acted: targets.length - failed.length, failed: { count: failed.length, names: failed.slice(0, NAMED_MAX) } };
      return action === 'remove' ? saved(answer) : answer;
    },
    // Secrets never leave the process unmasked: the form shows that one is set, and an update that sends the mask back keeps it.
    config: ({ id }) => maskSecrets(monitor.config(id)),
    add: ({ config, connect }) => saved(records.status(monitor.add(config, connect).id)),
    update: ({ id, config }) => saved(records.status(monitor.update(id, unmaskSecrets(config, monitor.config(id))).id)),
    remove: async ({ id }) => (await monitor.remove(id), saved(null)),
    connect: ({ id }) => (monitor.connect(id), null),
    disconnect: ({ id }) => (monitor.disconnect(id), null),
    pause: ({ id }) => (monitor.pause(id), null),
    resume: ({ id }) => (monitor.resume(id), null),
    reconnectNow: ({ id }) => (monitor.reconnectNow(id), null),
    frames: ({ id, after }) => monitor.frames(id, after),
    exportConfig: ({ offset }) => {
      const all = monitor.configs();
      const file = toSharedConfigFile(all.slice(offset, offset + TRANSFER_PART));
      const next = offset + TRANSFER_PART < all.length ? offset + TRANSFER_PART : null;
      return { ...file, total: all.length, next };
    },
    importConfig: async ({ file, upload, more }) => {
      const answer = importing.part(file, upload, more);
      return answer.upload === null ? saved(answer) : answer;
    },
    exportLog: ({ format }) => {
      if (!options.exportLog) throw new UnavailableError('no session log is being written here (start wsmon with --log FILE to export one)');
      return options.exportLog(format);
    },
    channels: () => options.channels?.statuses() ?? [],
    testChannel: ({ index }) => {
      if (!options.channels) throw new UnavailableError('alert channels are sent by a running session; this window has none');
      return options.channels.test(index);
    },
    settings: () => settingsOrFail().get(),
    updateSettings: (patch) => settingsOrFail().update(patch),
    addDemo: async () => {
      if (!options.demo) throw new UnavailableError('demo endpoints are not available here');
      const inputs = await options.demo();
      return inputs.filter((i) => !monitor.has(i.id!)).map((i) => records.status(monitor.add(parseEndpoint(i)).id));
    },
  };
  return dispatch(handlers);
}

/**
 * Imports in parts: each part's entries are checked as they come (the bad ones named, those present skipped), the
 * good ones held until the last part, then added all or none. One upload at a time: a new first part drops an
 * unfinished one.
 */
class Imports {
  private open: { id: string; received: number; adding: { settings: EndpointSettings; label: string }[]; ids: Set<string>; answer: ImportAnswer } | null = null;
  private seq = 0;

  constructor(private readonly monitor: Monitor) {}

  part(file: unknown, upload: string | undefined, more: boolean): ImportAnswer {
    if (upload !== undefined && upload !== this.open?.id)
      throw new ConfigError([{ path: 'upload', message: 'this import is no longer open; import the file again' }]);
    // The envelope must be a config file; its entries are taken one by one: the valid ones are added, the bad ones named.
    const parsed = configFileSchema
      .extend({
        endpoints: z.array(z.unknown(), { error: 'endpoints must be a list' }).max(TRANSFER_PART, { error: `a part holds at most ${TRANSFER_PART} entries` }),
      })
      .safeParse(migrate(file));
    if (!parsed.success) {
      this.open = null;
      throw new ConfigError(toProblems(parsed.error));
    }
    const u = (this.open =
      upload === undefined
        ? {
            id: `import-${++this.seq}`,
            received: 0,
            adding: [],
            ids: new Set(),
            answer: { upload: null, received: 0, added: { count: 0, names: [] }, skipped: { count: 0, first: [] }, rejected: { count: 0, first: [] } },
          }
        : this.open!);
    const named = <T>(list: { count: number; first: T[] }, item: T) => {
      list.count++;
      if (list.first.length < NAMED_MAX) list.first.push(item);
    };
    for (const entry of parsed.data.endpoints) {
      const position = ++u.received;
      const label = entryLabel(entry, position);
      const checked = endpointConfigSchema.safeParse(entry);
      if (!checked.success) {
        named(u.answer.rejected, { position, name: label, problems: describeProblems(toProblems(checked.error)) });
        continue;
      }
      const id = keyOf(checked.data);
      if (this.monitor.has(id) || u.ids.has(id)) named(u.answer.skipped, { position, name: label });
      else {
        u.ids.add(id);
        u.adding.push({ settings: { ...checked.data, id }, label: `entry ${position} (${label})` });
      }
    }
    if (more) return { ...u.answer, upload: u.id, received: u.received };
    this.open = null;
    // All or none: a file an entry names that cannot be read refuses the whole call, and nothing is added.
    const added = this.monitor.addAll(
      u.adding.map((a) => a.settings),
      (i) => u.adding[i]!.label,
    );
    return { ...u.answer, received: u.received, added: { count: added.length, names: added.slice(0, NAMED_MAX).map((id) => this.monitor.config(id).name) } };
  }
}

function dispatch(handlers: Handlers): ApiHandler {
  return async (method, payload) => {
    if (typeof method !== 'string' || !(METHODS as string[]).includes(method)) {
      return fail({ code: 'UNKNOWN_METHOD', message: `unknown method ${JSON.stringify(method)}; expected one of ${METHODS.join(', ')}` });
    }
    const m = method as Method;
    const parsed = API_SCHEMAS[m].safeParse(payload ?? {});
    if (!parsed.success) {
      const problems = toProblems(parsed.error);
      const code = m === 'add' || m === 'update' ? 'INVALID_CONFIG' : 'INVALID_REQUEST';
      // Config problems are reported relative to the config, as the form shows them.
      const relative = problems.map((p) => ({ ...p, path: p.path.replace(/^config\.?/, '') }));
      return fail({ code, message: `${m}: ${describeProblems(code === 'INVALID_CONFIG' ? relative : problems)}`, problems: relative });
    }
    try {
      const result = await (handlers[m] as (p: unknown) => unknown)(parsed.data);
      return { ok: true, result };
    } catch (e) {
      return fail(toErrorBody(e));
    }
  };
}

/** An error answer; its text passes the redactor like every other output (a message may quote a setting). */
function fail(error: ApiErrorBody): Envelope {
  return { ok: false, error: { ...error, message: redactSecretShapes(error.message) } };
}

function toErrorBody(e: unknown): ApiErrorBody {
  if (e instanceof WsmonError) return e.body();
  if (e instanceof ZodError) return { code: 'INVALID_REQUEST', message: describeProblems(toProblems(e)) };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
