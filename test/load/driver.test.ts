import { afterEach, describe, expect, it } from 'vitest';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import { TargetRefusedError, TargetUnreachableError } from '../../loadtests/errors.js';
import { checkTarget } from '../../loadtests/safety.js';
import type { Load, Scenario } from '../../scenarios/schema.js';
import { scenarioOf } from './scenario.js';
import { freePort, startServer, type TestServer } from './servers.js';

function scenario(target: string, load: Partial<Load>, journeys = ['req']): Scenario {
  return scenarioOf(
    `name: driver-test
seed: 7
duration: 60s
users: { arrivals: poisson(1/s), journeys: { ${journeys.map((j) => `${j}: { steps: [svc] }`).join(', ')} } }
services: { svc: { time: 1ms } }
load: { target: "http://127.0.0.1:1", connections: 10, maxDuration: 60s, profile: [{ hold: 100/s, for: 1s }] }
`,
    { target, ...load },
  );
}

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('open-model driver against a loopback server', () => {
  it('holds an offered 200/s within 5 % and sends exactly the scheduled requests', async () => {
    const s = await startServer();
    servers.push(s);
    const run = startLoad(scenario(s.url, { profile: [{ kind: 'hold', rate: 200, for: 2 }] }));
    const snaps: number[] = [];
    run.on('snapshot', (x) => snaps.push(x.elapsed));
    const o = await run.outcome;
    const j = o.result.journeys.req;
    expect(o.intended).toBe(400);
    expect(j.count).toBe(400);
    expect(s.seen.length).toBe(400);
    // A starved generator must say so rather than pass off a distorted rate (see engine.test.ts).
    if (o.result.generator?.behind === undefined)
      expect(Math.abs(j.throughput - 200) / 200).toBeLessThan(0.05);
    else expect(o.result.generator.lateShare).toBeGreaterThan(0.01);
    expect(j.errorRate).toBe(0);
    expect(o.result.kind).toBe('load');
    expect(o.result.tool).toBe('autocannon');
    expect(snaps.length).toBeGreaterThanOrEqual(4);
  });

  it('shows a 1 s stall in the corrected p99 and p90, while the uncorrected p90 misses it', async () => {
    let first = 0;
    const s = await startServer((_q, res) => {
      const now = Date.now();
      if (first === 0) first = now;
      const t = (now - first) / 1000;
      // Requests arriving in [1 s, 2 s) are held until 2 s: the server stalls for a second.
      if (t >= 1 && t < 2) setTimeout(() => res.end('late'), (2 - t) * 1000);
      else res.end('ok');
    });
    servers.push(s);
    const o = await startLoad(
      scenario(s.url, { profile: [{ kind: 'hold', rate: 100, for: 3 }], connections: 10 }),
    ).outcome;
    const corrected = o.result.journeys.req.latency;
    const uncorrected = o.uncorrected.req;
    expect(o.result.journeys.req.count).toBe(300);
    expect(corrected.p99).toBeGreaterThan(800);
    expect(corrected.p90).toBeGreaterThan(300);
    expect(uncorrected.p90).toBeLessThan(100);
    expect(corrected.p90).toBeGreaterThan(5 * uncorrected.p90);
  });

  it('counts errors by cause: status_503, reset and timeout', async () => {
    const s = await startServer((req, res) => {
      if (req.url === '/journeys/unavailable') {
        res.statusCode = 503;
        res.end();
      } else if (req.url === '/journeys/reset') req.socket.destroy();
      else if (req.url === '/journeys/hang') {
        /* never answers */
      } else res.end('ok');
    });
    servers.push(s);
    const sc = scenario(s.url, { profile: [{ kind: 'hold', rate: 80, for: 1 }] }, [
      'ok',
      'unavailable',
      'reset',
      'hang',
    ]);
    const o = await startLoad(sc, { timeout: 0.3 }).outcome;
    const j = o.result.journeys;
    expect(j.ok.errorRate).toBe(0);
    expect(j.unavailable.errors).toEqual({ status_503: j.unavailable.count });
    expect(j.reset.errors).toEqual({ reset: j.reset.count });
    expect(j.hang.errors).toEqual({ timeout: j.hang.count });
    expect(j.ok.count + j.unavailable.count + j.reset.count + j.hang.count).toBe(80);
    expect(j.hang.count).toBeGreaterThan(5);
  });

  it('counts refused connections once the target goes away mid-run', async () => {
    const s = await startServer((_req, res) => {
      res.setHeader('connection', 'close');
      res.end('ok');
    });
    setTimeout(() => {
      s.server.closeAllConnections();
      s.server.close();
    }, 500);
    const o = await startLoad(scenario(s.url, { profile: [{ kind: 'hold', rate: 50, for: 1 }] })).outcome;
    const j = o.result.journeys.req;
    expect(j.count).toBe(50);
    expect(j.errors.refused).toBeGreaterThan(15);
    expect(j.count - (j.errors.refused ?? 0) - (j.errors.reset ?? 0)).toBeGreaterThan(15);
  });

  it('keeps a partial result when stopped', async () => {
    const s = await startServer();
    servers.push(s);
    const run = startLoad(scenario(s.url, { profile: [{ kind: 'hold', rate: 100, for: 10 }] }));
    setTimeout(() => run.stop(), 600);
    const r = await run.result;
    expect(r.partial).toBe(true);
    expect(r.journeys.req.count).toBeGreaterThan(30);
    expect(r.journeys.req.count).toBeLessThan(100);
    expect(r.window.end).toBeLessThan(2);
  });

  it('stops at load.maxRequests', async () => {
    const s = await startServer();
    servers.push(s);
    const o = await startLoad(
      scenario(s.url, { profile: [{ kind: 'hold', rate: 200, for: 5 }], maxRequests: 37 }),
    ).outcome;
    expect(s.seen.length).toBe(37);
    expect(o.result.journeys.req.count).toBe(37);
  });

  it('runs a closed model: users loop with think time', async () => {
    const s = await startServer();
    servers.push(s);
    const sc = scenario(s.url, { closed: { users: 4, think: { kind: 'const', value: 0.1 } } });
    const o = await startLoad(sc, { duration: 1 }).outcome;
    // 4 users, ~0.1 s per cycle, 1 s → about 40 requests (each cycle adds a little latency).
    expect(o.result.journeys.req.count).toBeGreaterThan(25);
    expect(o.result.journeys.req.count).toBeLessThanOrEqual(44);
  });

  it('max mode drives autocannon and books responses per journey', async () => {
    const s = await startServer();
    servers.push(s);
    const sc = scenario(s.url, { profile: [{ kind: 'hold', rate: 1, for: 1 }] }, ['a', 'b']);
    const o = await startLoad(sc, { mode: 'max' }).outcome;
    const { a, b } = o.result.journeys;
    expect(a.count + b.count).toBeGreaterThan(200);
    expect(a.count / (a.count + b.count)).toBeGreaterThan(0.4);
    expect(a.count / (a.count + b.count)).toBeLessThan(0.6);
    expect(s.seen.filter((x) => x.url === '/journeys/a').length).toBeGreaterThanOrEqual(a.count);
  });
});

describe('safety', () => {
  it('refuses a non-loopback target before any request', async () => {
    await expect(checkTarget('http://93.184.216.34/')).rejects.toBeInstanceOf(TargetRefusedError);
    await expect(checkTarget('http://example.com/')).rejects.toThrow(/not loopback/);
    await expect(checkTarget('ftp://127.0.0.1/')).rejects.toBeInstanceOf(TargetRefusedError);
    const ok = await checkTarget('http://localhost:1/');
    expect(ok.addresses.every((a) => a === '127.0.0.1' || a === '::1')).toBe(true);
    await expect(checkTarget('http://10.1.2.3/', ['10.1.2.3'])).resolves.toBeDefined();
    const run = startLoad(scenario('http://93.184.216.34:9/', {}));
    await expect(run.outcome).rejects.toBeInstanceOf(TargetRefusedError);
  });

  it('reports an unreachable target clearly', async () => {
    const port = await freePort();
    const run = startLoad(scenario(`http://127.0.0.1:${port}`, {}));
    await expect(run.outcome).rejects.toBeInstanceOf(TargetUnreachableError);
    await expect(run.outcome).rejects.toThrow(/unreachable: connection refused/);
  });
});
