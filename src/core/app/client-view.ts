// What one window shows, kept on the engine's side: its list's query and the
// page of rows it draws, and the endpoints it watches besides (the one open).
// It answers the window's `rows` and `watch` calls and turns each batch of
// changes into that window's update: the statuses of what it shows, and its
// page again when the page's order or header changed — so nothing a window is
// sent grows with the number of endpoints.
import type { RowsAnswer, Update } from '../../shared/api';
import { listRows, type ListItem, type ListQuery } from '../../shared/list-query';
import type { EndpointStatus } from '../../shared/status';
import type { Records } from '../record/records';
import type { Batch } from './updates';

/** Health is judged to the second: a list's order is computed again at most this often while endpoints change. */
export const REORDER_MS = 1000;

export type PageQuery = ListQuery & { offset: number; limit: number };

/** A page of `q`'s rows over the records (judged once: `items`, when the caller has them), without the statuses. */
export function rowsPage(records: Records, q: PageQuery, items: ListItem[] = records.items()): Omit<RowsAnswer, 'statuses'> {
  const { rows, ...head } = listRows(items, q);
  return { ...head, nowMono: records.now(), count: records.size, total: rows.length, offset: q.offset, rows: rows.slice(q.offset, q.offset + q.limit) };
}

export class ClientView {
  private query: PageQuery | null = null;
  private pageIds = new Set<string>();
  private readonly watched = new Set<string>();
  /** What the last page sent said, to send it again only when it changed. */
  private sentKey = '';
  private computedAt = -Infinity;
  /** Out of sight: the page is not ordered again until the window shows. */
  private hidden = false;

  constructor(private readonly records: Records) {}

  /**
   * The window went out of sight (hidden in the tray, minimized). Its page is
   * not ordered again until it shows: at 10,000 endpoints that is 10-20 ms a
   * second of the engine's loop spent for nobody. The statuses and events of
   * what it holds still go, so it shows nothing stale for a moment when back.
   */
  hide(): void {
    this.hidden = true;
  }

  /** The window shows again: its page as it is now, or null when it asked for none or the page did not change. */
  show(): Update | null {
    this.hidden = false;
    if (!this.query) return null;
    const key = this.sentKey;
    const rows = this.compute();
    return this.sentKey === key ? null : { nowMono: rows.nowMono, endpoints: [], removed: [], events: [], rows };
  }

  /** The window asks for a page: it is answered, and followed from now on. */
  rows(q: PageQuery): RowsAnswer {
    this.query = q;
    return this.compute();
  }

  watch(ids: string[]): EndpointStatus[] {
    this.watched.clear();
    for (const id of ids) this.watched.add(id);
    return ids.filter((id) => this.records.has(id)).map((id) => this.records.status(id));
  }

  /** This window's part of a batch, or null when nothing it shows changed. */
  update(batch: Batch): Update | null {
    const shows = (id: string) => this.pageIds.has(id) || this.watched.has(id);
    const removed = [...batch.removed].filter(shows);
    let rows: RowsAnswer | undefined;
    if (this.query && !this.hidden && (batch.membership || batch.nowMono - this.computedAt >= REORDER_MS)) {
      const key = this.sentKey;
      const next = this.compute();
      if (this.sentKey !== key) rows = next;
    }
    const inRows = new Set(rows?.statuses.map((s) => s.id));
    const endpoints = [...batch.changed].filter((id) => shows(id) && !inRows.has(id) && this.records.has(id)).map((id) => this.records.status(id));
    if (!rows && !endpoints.length && !removed.length && !batch.events.length) return null;
    return { nowMono: batch.nowMono, endpoints, removed, events: batch.events, ...(rows ? { rows } : {}) };
  }

  private compute(): RowsAnswer {
    const q = this.query!;
    const page = rowsPage(this.records, q);
    this.computedAt = page.nowMono;
    const ids = [...new Set(page.rows.flatMap((r) => (r.kind === 'endpoint' ? [r.id] : [])))];
    this.pageIds = new Set(ids);
    const { nowMono: _now, ...said } = page;
    this.sentKey = JSON.stringify(said);
    return { ...page, statuses: ids.map((id) => this.records.status(id)) };
  }
}
