// Serves MonitorApi calls for any transport: validates the method and its
// payload against the shared schemas, runs it on the monitor, and answers
// with an envelope. A bad call gets a clear error and changes nothing.
import { z, ZodError } from 'zod';
import {
  API_SCHEMAS,
  METHODS,
  type ApiErrorBody,
  type ApiOutputs,
  type ApiPayload,
  type Envelope,
  type HistoryAnswer,
  type Method,
  type OverviewSeries,
  type SettingsAnswer,
  type NoticeRecord,
} from '../../shared/api';
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
import { overviewCells, type ChartSource } from '../../shared/chart-data';
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
}

export interface SettingsAccess {
  get(): SettingsAnswer;
  update(patch: SettingsPatch): SettingsAnswer;
}

type ReadMethod = 'history' | 'events' | 'overview' | 'incidents';

/** The views: the live session's records answer them, and so do a replayed log's. */
function readHandlers(view: Records, notices: () => NoticeRecord[] = () => []): Pick<Handlers, ReadMethod> {
  return {
    incidents: ({ id }) => ({
      incidents: view.incidents.view(id === undefined ? undefined : view.recorder(id).incidents),
      notices: notices().filter((n) => id === undefined || n.notice.endpoint === id),
    }),
    history: ({ id, from, to }) => historyOf(view, id, from, to),
    events: ({ id, from, to, types, limit }) => {
      const ids = id !== undefined ? [view.recorder(id).id] : view.ids();
      const wanted = types ? new Set<string>(types) : null;
      const all = ids.flatMap((i) => view.recorder(i).events(from, to)).filter((e) => !wanted || wanted.has(e.type));
      return all.sort((a, b) => a.mono - b.mono).slice(-limit);
    },
    overview: ({ from, to, columns }) => {
      // From the same history the endpoint's page draws; a removed endpoint (a past log's) has no data after its
      // removal, not a "paused" stretch.
      const endpoints: OverviewSeries[] = view.ids().map((i) => {
        const source = chartSourceOf(view, i, from, to);
        const states = view.recorder(i).removed ? source.states.slice(0, -1) : source.states;
        return { id: i, name: view.recorder(i).name, ...overviewCells({ ...source, states }, from, to, columns) };
      });
      return { nowMono: view.now(), endpoints };
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
    ...readHandlers(replay.records),
    frames: () => {
      throw new UnavailableError('frames are held only by a running session, never written to its log; this is a past session log');
    },
    list: () => ({
      session: { app: APP_NAME, version: APP_VERSION, startWall: replay.startWall, nowMono: replay.now(), readOnly: true, source: replay.source },
      endpoints: replay.records.list(),
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
  const handlers: Handlers = {
    ...readHandlers(records, options.notices),
    list: () => ({
      session: {
        app: APP_NAME,
        version: APP_VERSION,
        startWall: monitor.startWall,
        nowMono: monitor.now(),
        historyFromMono: options.historyFrom?.() ?? null,
        networkRtt: kernelRtt().unavailable,
      },
      endpoints: records.list(),
      notice: options.notice?.() ?? null,
    }),
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
    exportConfig: () => toSharedConfigFile(monitor.configs()),
    importConfig: ({ file }) => {
      // The envelope must be a config file; its entries are taken one by one: the valid ones are added, the bad ones named.
      const parsed = configFileSchema.extend({ endpoints: z.array(z.unknown(), { error: 'endpoints must be a list' }) }).safeParse(migrate(file));
      if (!parsed.success) throw new ConfigError(toProblems(parsed.error));
      const result: ApiOutputs['importConfig'] = { added: [], skipped: [], rejected: [] };
      const adding: { settings: EndpointSettings; label: string }[] = [];
      const ids = new Set<string>();
      parsed.data.endpoints.forEach((entry, i) => {
        const position = i + 1;
        const label = entryLabel(entry, position);
        const checked = endpointConfigSchema.safeParse(entry);
        if (!checked.success) {
          result.rejected.push({ position, name: label, problems: describeProblems(toProblems(checked.error)) });
          return;
        }
        const id = keyOf(checked.data);
        if (monitor.has(id) || ids.has(id)) result.skipped.push({ position, name: label });
        else {
          ids.add(id);
          adding.push({ settings: { ...checked.data, id }, label: `entry ${position} (${label})` });
        }
      });
      // All or none: a file an entry names that cannot be read refuses the whole call, and nothing is added.
      const added = monitor.addAll(
        adding.map((a) => a.settings),
        (i) => adding[i]!.label,
      );
      result.added = added.map((id) => monitor.config(id).name);
      return saved(result);
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
