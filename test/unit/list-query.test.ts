// The endpoint list's filters, order and groups, computed over every endpoint on the engine's side.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIST_QUERY, listQuerySchema, listRows, TAGS_LISTED, type ListItem, type ListQuery } from '../../src/shared/list-query';

const item = (id: string, health: ListItem['health'], tags: string[] = [], rttMs: number | null = null): ListItem => ({
  id,
  name: id,
  url: `ws://h/${id}`,
  tags,
  health,
  cause: health,
  rttMs,
  heartbeatMs: 1000,
});
const items = [
  item('web-b', 'up', ['web'], 20),
  item('web-a', 'down', ['web', 'eu']),
  item('db', 'degraded', ['eu'], 300),
  item('cache', 'up', [], 5),
  item('old', 'paused'),
];
const q = (patch: Partial<ListQuery>): ListQuery => ({ ...DEFAULT_LIST_QUERY, ...patch });
const ids = (r: ReturnType<typeof listRows>) => r.rows.map((row) => (row.kind === 'group' ? `[${row.tag}]` : row.id));

describe('list query', () => {
  it('sorts problems first then by name, by name, or slowest first; filters by health, text and tag', () => {
    expect(ids(listRows(items, q({})))).toEqual(['web-a', 'db', 'cache', 'web-b', 'old']);
    expect(ids(listRows(items, q({ sort: 'name' })))).toEqual(['cache', 'db', 'old', 'web-a', 'web-b']);
    expect(ids(listRows(items, q({ sort: 'rtt' })))).toEqual(['db', 'web-b', 'cache', 'old', 'web-a']);
    expect(ids(listRows(items, q({ health: 'down' })))).toEqual(['web-a']);
    expect(ids(listRows(items, q({ text: ' H/C' })))).toEqual(['cache']); // the URL, case folded
    expect(ids(listRows(items, q({ text: 'eu' })))).toEqual(['web-a', 'db']); // a tag
    const web = listRows(items, q({ tag: 'web', health: 'up' }));
    expect(ids(web)).toEqual(['web-b']);
    // The summary is of the tag chosen, whatever the other filters leave.
    expect(web).toMatchObject({ matched: 1, summary: 'web: 1 up · 1 down', tags: ['eu', 'web'], tagsMore: 0 });
    // A tag no endpoint carries any more filters nothing.
    expect(listRows(items, q({ tag: 'gone' }))).toMatchObject({ matched: 5, summary: '2 up · 1 down · 1 degraded · 1 paused' });
  });

  it('groups by tag, worst first, an endpoint in each of its groups, the untagged last; a closed group is its header only', () => {
    const grouped = listRows(items, q({ grouped: true }));
    expect(ids(grouped)).toEqual(['[eu]', 'web-a', 'db', '[web]', 'web-a', 'web-b', '[]', 'cache', 'old']);
    expect(grouped.matched).toBe(5);
    expect(grouped.rows[0]).toEqual({ kind: 'group', tag: 'eu', health: 'down', summary: '1 down · 1 degraded', count: 2, open: true });
    expect(ids(listRows(items, q({ grouped: true, closed: ['eu'] })))).toEqual(['[eu]', '[web]', 'web-a', 'web-b', '[]', 'cache', 'old']);
    // A tag chosen lists its endpoints without groups.
    expect(ids(listRows(items, q({ grouped: true, tag: 'eu' })))).toEqual(['web-a', 'db']);
  });

  it('names at most TAGS_LISTED tags and counts the rest; a query past its bounds is refused', () => {
    const many = Array.from({ length: TAGS_LISTED + 7 }, (_, i) => item(`e${i}`, 'up', [`t${String(i).padStart(4, '0')}`]));
    expect(listRows(many, q({}))).toMatchObject({ tagsMore: 7 });
    expect(listRows(many, q({})).tags).toHaveLength(TAGS_LISTED);
    expect(listQuerySchema.safeParse({ text: 'x'.repeat(201) }).error?.issues[0]?.message).toBe('the filter text must be at most 200 characters');
    expect(listQuerySchema.safeParse({ sort: 'random' }).success).toBe(false);
  });
});
