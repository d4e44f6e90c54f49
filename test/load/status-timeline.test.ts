/**
 * Status codes over time for single-request load runs: per-interval counts by code in the
 * RunResult (one thread and `--workers 2`, merged exactly) and the HTML report's chart of them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import { MAX_CODES, StatusIntervals } from '../../loadtests/status-intervals.js';
import { renderHtml } from '../../reports/html.js';
import type { Scenario } from '../../scenarios/schema.js';
import { scenarioOf } from './scenario.js';
import { startServer, type TestServer } from './servers.js';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function scenario(target: string): Scenario {
  return scenarioOf(
    `name: status-timeline
seed: 3
duration: 60s
users: { population: 1000, arrivals: poisson(100/s), journeys: { a: { steps: [svc] } } }
services: { svc: { time: 1ms } }
load:
  target: "http://127.0.0.1:1"
  connections: 8
  maxDuration: 60s
  profile: [{ hold: 100/s, for: 3s }]
  requests: { a: "GET /a" }
`,
    { target },
  );
}

/** The y pixel of each point of the chart line titled `name` (smaller is higher). */
function linePixels(html: string, name: string): number[] {
  const m = html.match(new RegExp(`<path class="series line" d="([^"]+)"[^>]*><title>${name}</title>`));
  expect(m, `a line for ${name}`).not.toBeNull();
  return [...(m?.[1] ?? '').matchAll(/[ML][\d.]+,([\d.]+)/g)].map((x) => Number(x[1]));
}

describe('status codes over time, single-request runs', () => {
  for (const workers of [1, 2])
    it(`shows a switch from 200 to 503 per interval, summing to each interval's count (workers ${workers}${workers > 1 ? ', needs `npm run build`' : ''})`, async () => {
      let first = 0;
      const s = await startServer((_q, res) => {
        const now = performance.now();
        if (first === 0) first = now;
        res.statusCode = now - first < 1500 ? 200 : 503;
        res.end('x');
      });
      servers.push(s);
      const r = (await startLoad(scenario(s.url), { workers }).outcome).result;
      const st = r.statusTimeline!;
      expect(st.interval).toBe(1);
      expect(st.t).toEqual(r.timeline!.t);
      expect(Object.keys(st.codes).sort()).toEqual(['200', '503']);
      const ok = st.codes['200'];
      const bad = st.codes['503'];
      // Every interval's codes add up to the journey's requests completed in it.
      expect(st.t.map((_, i) => ok[i] + bad[i])).toEqual(r.timeline!.journeys.a.throughput);
      // First second: only 200s; third: (almost) only 503s, the server switched at 1.5 s.
      expect(ok[0]).toBeGreaterThan(50);
      expect(bad[0]).toBe(0);
      expect(bad[2]).toBeGreaterThan(0.9 * (ok[2] + bad[2]));
      expect(bad[2]).toBeGreaterThan(50);
      const in503 = bad.reduce((a, b) => a + b, 0);
      expect(in503).toBeLessThanOrEqual(r.journeys.a.errors.status_503);
      const html = renderHtml(r);
      expect(html).toContain('<h2>Status codes</h2>');
      expect(html).toContain('responses per second');
      const y200 = linePixels(html, '200');
      const y503 = linePixels(html, '503');
      expect(y200.length).toBe(st.t.length);
      // 200 falls (pixel y grows), 503 rises.
      expect(y200[2]).toBeGreaterThan(y200[0]);
      expect(y503[2]).toBeLessThan(y503[0]);
    });
});

describe('StatusIntervals', () => {
  it(`keeps at most ${MAX_CODES} codes and counts the rest as other, also across a merge`, () => {
    const a = new StatusIntervals();
    for (let c = 0; c < MAX_CODES + 5; c++) a.add(String(400 + c));
    a.add('__proto__');
    a.close();
    const b = new StatusIntervals();
    b.add('599', 3);
    b.add('400', 2);
    b.close();
    b.add('400');
    b.close();
    const m = new StatusIntervals();
    m.mergeClosed(a.closed, 2);
    m.mergeClosed(b.closed, 2);
    const tl = m.timeline(1, [0, 1])!;
    expect(Object.keys(tl.codes).length).toBe(MAX_CODES + 1);
    expect(tl.codes.other).toEqual([5 + 1 + 3, 0]);
    expect(tl.codes['400']).toEqual([3, 1]);
    expect(Object.getPrototypeOf(tl.codes)).toBe(Object.prototype);
  });
});
