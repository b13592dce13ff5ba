// The terminal's live table at the width of the terminal: columns give way,
// the health and its duration never do.
import { describe, expect, it } from 'vitest';
import { fitHealth, renderTable } from '../../src/cli/table';
import { status, tableSource } from '../helpers/status';

const NOW = 1_000_000;

describe('live table', () => {
  const rows = [
    status('api-gateway-production-eu', 'waiting', { downSince: NOW - 250_000, cause: 'closed 1011 "overloaded" by the upstream pool' }),
    status('fine', 'open', { rtt: 12.5 }),
  ];

  it('fits 80 columns: optional columns dropped, the health and how long it has lasted kept whole', () => {
    const lines = renderTable(tableSource(rows, NOW), NOW, false, 80);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^ENDPOINT\s+HEALTH\s+RTT\s+LOSS$/);
    const down = lines.find((l) => l.includes('down ·'))!;
    expect(down).toMatch(/down · closed 10.*… · down 4 min 10 s/);
  });

  it("sums up each tag's group in one line under the table, worst first", () => {
    const tagged = [
      status('a', 'waiting', { downSince: NOW - 250_000, error: 'ECONNREFUSED', tags: ['prod', 'eu'] }),
      status('b', 'open', { rtt: 3, tags: ['prod'] }),
      status('c', 'open', { rtt: 3, tags: ['staging'] }),
    ];
    const lines = renderTable(tableSource(tagged, NOW), NOW, false, 120);
    expect(lines.at(-2)).toBe('eu 1 down  |  prod 1 up · 1 down  |  staging 1 up');
    expect(renderTable(tableSource(rows, NOW), NOW, false, 120).some((l) => l.includes('|'))).toBe(false);
  });

  it('at 120 columns shows every column', () => {
    const [header] = renderTable(tableSource(rows, NOW), NOW, false, 120);
    expect(header).toMatch(/^ENDPOINT\s+HEALTH\s+RTT\s+P95\s+LOSS\s+UPTIME\s+DISC\s+ATTEMPTS$/);
  });

  it("fits the terminal's height at 10,000 endpoints: the worst first, then how many more and how they are", () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      i === 4321 ? status('the-down-one', 'gave-up', { attempt: 3, tags: ['prod'] }) : status(`svc-${i}`, 'open', { rtt: 5, tags: ['prod'] }),
    );
    const source = tableSource(many, NOW);
    const read: string[] = [];
    const lines = renderTable({ items: source.items, status: (id) => (read.push(id), source.status(id)) }, NOW, false, 120, [], 40);
    expect(lines).toHaveLength(40);
    expect(lines[1]).toMatch(/^the-down-one\s+down · gave up after 3 attempts/);
    expect(lines[2]).toMatch(/^svc-0\s+up/);
    expect(lines.slice(-4)).toEqual(['… 9,965 more endpoints, 9965 up', '', 'prod 9999 up · 1 down', '9999 up · 1 down · Ctrl-C to stop']);
    // Only the rows shown read a full status.
    expect(read).toHaveLength(35);
    // A terminal that says nothing of its height gets every row.
    expect(renderTable(source, NOW, false, 120)).toHaveLength(10_000 + 4);
  });

  it('cuts a health text in the middle, keeping the health first and the duration last', () => {
    expect(fitHealth('down · HTTP 503 Service Unavailable from the gateway · down 10 s', 30)).toBe('down · HTTP 503 S… · down 10 s');
    expect(fitHealth('up · 12.5 ms', 20)).toBe('up · 12.5 ms'.padEnd(20));
  });
});
