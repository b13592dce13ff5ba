// What the endpoint list and the overview show, asked of the engine's side: the
// filters, the sort and the grouping a window chose, applied to every endpoint
// there, and a page of the resulting rows. The window holds only the rows it
// draws; no answer grows with the number of endpoints. Pure.
import { z } from 'zod';
import { bySeverity, HEALTH_STATES, healthSummary, type Health } from './health';
import { LIMITS } from './limits';

/** Rows a page holds at most: well under a screen's worth of rows twice over, and far under the bridge's message bounds. */
export const ROWS_PAGE_MAX = 200;
/** Tags named to the window for its tag filter, by name; past these it says how many more (the text filter finds them too). */
export const TAGS_LISTED = 500;

export const LIST_SORTS = ['problems', 'name', 'rtt'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

const tag = z.string().max(LIMITS.tagChars);

/** The filters, sort and grouping of a list (the endpoint list's, the overview's). */
export const listQuerySchema = z
  .object({
    /** Matched against name, URL and tags, case folded. */
    text: z.string().max(200, { error: 'the filter text must be at most 200 characters' }).default(''),
    health: z.enum(['all', ...HEALTH_STATES]).default('all'),
    /** Only endpoints with this tag; null: all. */
    tag: tag.nullable().default(null),
    sort: z.enum(LIST_SORTS).default('problems'),
    /** One group per tag (an endpoint in each of its groups), worst first, the untagged last. */
    grouped: z.boolean().default(false),
    /** Groups shown closed: their header only. */
    closed: z.array(tag).max(TAGS_LISTED).default([]),
  })
  .strict();
export type ListQuery = z.output<typeof listQuerySchema>;
export type ListQueryInput = z.input<typeof listQuerySchema>;
export const DEFAULT_LIST_QUERY: ListQuery = listQuerySchema.parse({});

/** A page of rows: from row `offset`, at most `limit`. */
export const pageSchema = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(ROWS_PAGE_MAX).default(100),
};

/** What the list is computed from, per endpoint: judged by the engine's side at one moment. */
export interface ListItem {
  id: string;
  name: string;
  url: string;
  tags: readonly string[];
  health: Health;
  /** Its health's cause in words (shared/health.ts healthOf), as the tray and the table say it. */
  cause: string;
  /** The last RTT while open (the RTT sort), else null. */
  rttMs: number | null;
  /** Its heartbeat interval (the overview's spans are no shorter than the usual one), null where unknown. */
  heartbeatMs: number | null;
}

/** An endpoint judged once, as the tray and the terminal's table read it: what sums up every endpoint cheaply. */
export type JudgedEndpoint = Pick<ListItem, 'id' | 'name' | 'tags' | 'health' | 'cause' | 'rttMs'>;

/** A tag's group, as a row: its header. `tag` '' is the untagged ("no tag"). */
export interface GroupRow {
  kind: 'group';
  tag: string;
  health: Health;
  /** "3 up · 1 down". */
  summary: string;
  count: number;
  open: boolean;
}
/** An endpoint, as a row: in a group (`group`, an endpoint with two tags is in two) or in the one list (null). */
export interface EndpointRow {
  kind: 'endpoint';
  id: string;
  group: string | null;
  health: Health;
}
export type ListRow = GroupRow | EndpointRow;

/** Every row the query leaves, in order, and what the header of the list says. */
export interface ListResult {
  rows: ListRow[];
  /** Endpoints the filters leave (each once, however many groups it is in). */
  matched: number;
  /** Health of the tag chosen (all endpoints without one), whatever the text and health filters leave: "prod: 3 up · 1 down". */
  summary: string;
  tags: string[];
  tagsMore: number;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'variant' });
const byName = (a: ListItem, b: ListItem) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const rank = Object.fromEntries(HEALTH_STATES.map((h, i) => [h, i])) as Record<Health, number>;

/** The rows `q` leaves of `items`, in its order. Linear in the items but for one sort. */
export function listRows(items: readonly ListItem[], q: ListQuery): ListResult {
  const allTags = new Set<string>();
  for (const it of items) for (const t of it.tags) allTags.add(t);
  const tags = [...allTags].sort(collator.compare);
  const chosen = q.tag !== null && allTags.has(q.tag) ? q.tag : null;
  const inTag = chosen === null ? items : items.filter((it) => it.tags.includes(chosen));
  const text = q.text.trim().toLowerCase();
  const matches = (it: ListItem) =>
    !text || it.name.toLowerCase().includes(text) || it.url.toLowerCase().includes(text) || it.tags.some((t) => t.toLowerCase().includes(text));
  const kept = inTag.filter((it) => (q.health === 'all' || it.health === q.health) && matches(it));
  const sorted = sortItems(kept, q.sort);
  const summary = `${chosen === null ? '' : `${chosen}: `}${healthSummary(inTag)}`;
  const head = { matched: kept.length, summary, tags: tags.slice(0, TAGS_LISTED), tagsMore: Math.max(0, tags.length - TAGS_LISTED) };
  if (!q.grouped || chosen !== null || allTags.size === 0) {
    return { ...head, rows: sorted.map((it) => ({ kind: 'endpoint', id: it.id, group: null, health: it.health })) };
  }
  return { ...head, rows: groupedRows(sorted, new Set(q.closed)) };
}

function sortItems(items: ListItem[], sort: ListSort): ListItem[] {
  const named = [...items].sort(byName);
  if (sort === 'problems') return bySeverity(named);
  if (sort === 'rtt')
    return named
      .map((it, i) => ({ it, i }))
      .sort((a, b) => (b.it.rttMs ?? -1) - (a.it.rttMs ?? -1) || a.i - b.i)
      .map((x) => x.it);
  return named;
}

/** One group per tag, worst first then by tag, its members in the list's order; the untagged last, under ''. */
function groupedRows(sorted: readonly ListItem[], closed: ReadonlySet<string>): ListRow[] {
  const members = new Map<string, ListItem[]>();
  const untagged: ListItem[] = [];
  for (const it of sorted) {
    if (it.tags.length === 0) untagged.push(it);
    for (const t of it.tags) {
      let m = members.get(t);
      if (!m) members.set(t, (m = []));
      m.push(it);
    }
  }
  const group = (tag: string, list: ListItem[]) => ({
    tag,
    list,
    health: list.reduce<Health>((worst, it) => (rank[it.health] < rank[worst] ? it.health : worst), 'paused'),
  });
  const groups = [...members].map(([t, list]) => group(t, list)).sort((a, b) => rank[a.health] - rank[b.health] || collator.compare(a.tag, b.tag));
  if (untagged.length) groups.push(group('', untagged));
  return groups.flatMap(({ tag, list, health }) => {
    const open = !closed.has(tag);
    const header: GroupRow = { kind: 'group', tag, health, summary: healthSummary(list), count: list.length, open };
    return [header, ...(open ? list.map((it): EndpointRow => ({ kind: 'endpoint', id: it.id, group: tag, health: it.health })) : [])];
  });
}
