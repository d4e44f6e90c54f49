/**
 * The open-model engine on the raw-socket transport against real loopback servers: the schedule
 * is held, the generator's own block tells the truth, and stop/limits hold against targets that
 * never answer, stream forever, or trickle their headers.
 */
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import type { Load, Scenario } from '../../scenarios/schema.js';
import { scenarioOf } from './scenario.js';
import { startServer } from './servers.js';

function scenario(target: string, load: Partial<Load>): Scenario {
  return scenarioOf(
    `name: engine-test
seed: 3
duration: 60s
users: { arrivals: poisson(1/s), journeys: { req: { steps: [svc] } } }
services: { svc: { time: 1ms } }
load: { target: "http://127.0.0.1:1", connections: 20, maxDuration: 60s, profile: [{ hold: 100/s, for: 1s }] }
`,
    { target, ...load },
  );
}

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

/** Hostile targets: accept and never answer; stream a chunked body forever; trickle the head. */
async function hostile(
  kind: 'silent' | 'endless' | 'slowloris',
): Promise<{ url: string; requests: () => number }> {
  const socks = new Set<net.Socket>();
  let requests = 0;
  const srv = net.createServer((s) => {
    socks.add(s);
    s.on('error', () => {});
    const timers: NodeJS.Timeout[] = [];
    s.on('close', () => {
      socks.delete(s);
      for (const t of timers) clearInterval(t);
    });
    s.on('data', (d) => {
      requests += String(d).split('HTTP/1.1\r\n').length - 1;
      if (kind === 'endless' && timers.length === 0) {
        s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
        timers.push(setInterval(() => s.write('5\r\nhello\r\n'), 5));
      }
      if (kind === 'slowloris' && timers.length === 0) timers.push(setInterval(() => s.write('x'), 100));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    for (const s of socks) s.destroy();
    await new Promise<void>((r) => srv.close(() => r()));
  });
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, requests: () => requests };
}

describe('open-model engine', () => {
  // 500/s: the target runs on the test's own event loop and this 2-core machine is shared with
  // seven other engineers (load average 15–19 when this was written: a process gets a fraction of
  // a core), so the test checks the schedule at a rate the machine holds, not the machine.
  it('holds 500/s within 2 % as the target sees it and sends exactly the scheduled requests', async () => {
    const at: number[] = [];
    const s = await startServer((_q, res) => {
      at.push(performance.now());
      res.end('ok');
    });
    closers.push(s.close);
    const o = await startLoad(scenario(s.url, { profile: [{ kind: 'hold', rate: 500, for: 2 }] })).outcome;
    const j = o.result.journeys.req;
    expect(j.count).toBe(1000);
    expect(s.seen.length).toBe(1000);
    // Uniform spacing: arrivals at 1 ms, 3 ms, … 1999 ms, so 999 gaps span 1.998 s.
    const rate = (at.length - 1) / ((at[at.length - 1] - at[0]) / 1000);
    const g = o.result.generator!;
    // On a starved machine the generator may not get the CPU to keep the schedule; then it must
    // say so (and the CLI exits 3) rather than pass off a distorted rate.
    if (g.behind === undefined) expect(Math.abs(rate - 500) / 500).toBeLessThan(0.02);
    else expect(g.lateShare > 0.01 || g.sent < 0.97 * g.intended).toBe(true);
    expect(g.intended).toBe(1000);
    expect(g.sent).toBe(1000);
    expect(g.dropped).toBe(0);
    expect(g.workers).toBe(1);
    expect(g.cpuSeconds).toBeGreaterThan(0);
    expect(g.eventLoopDelay.max).toBeGreaterThan(0);
  });

  it('drops (never queues without bound) what cannot get a connection within its slot, and says the generator fell behind', async () => {
    const s = await startServer((_q, res) => setTimeout(() => res.end('slow'), 200));
    closers.push(s.close);
    const o = await startLoad(
      scenario(s.url, { profile: [{ kind: 'hold', rate: 100, for: 1 }], connections: 1 }),
      { timeout: 0.3 },
    ).outcome;
    const g = o.result.generator!;
    // One connection at 200 ms each serves ~5 of 100; the rest wait past their 300 ms deadline.
    // (Some get a connection late and then time out on it: sent, and failed as `timeout`; about
    // half of the 100 go each way on an idle machine — 49/51 and 50/50 measured.)
    expect(g.dropped).toBeGreaterThan(35);
    expect(g.sent + g.dropped).toBe(100);
    expect(o.result.journeys.req.errors.timeout ?? 0).toBeLessThanOrEqual(g.sent);
    // The last one may be cut by its deadline before the server read it.
    expect(s.seen.length).toBeLessThanOrEqual(g.sent);
    expect(g.behind).toMatch(/sent \d+ of 100 intended/);
    expect(o.result.journeys.req.count).toBe(g.sent);
  });

  it.each(['silent', 'endless', 'slowloris'] as const)(
    'stop() against a %s target ends within 2 s with a partial result and sends nothing after',
    async (kind) => {
      const t = await hostile(kind);
      const run = startLoad(scenario(t.url, { profile: [{ kind: 'hold', rate: 50, for: 30 }] }), {
        timeout: 60,
      });
      await new Promise((r) => setTimeout(r, 600));
      const t0 = performance.now();
      run.stop();
      const r = await run.result;
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(r.partial).toBe(true);
      const after = t.requests();
      await new Promise((r) => setTimeout(r, 300));
      expect(t.requests()).toBe(after);
    },
  );

  it('ends by maxDuration + timeout + 2 s against a target that never answers', async () => {
    const t = await hostile('endless');
    const t0 = performance.now();
    const o = await startLoad(
      scenario(t.url, { profile: [{ kind: 'hold', rate: 20, for: 30 }], maxDuration: 1 }),
      { timeout: 0.5 },
    ).outcome;
    expect(performance.now() - t0).toBeLessThan(3500);
    expect(o.result.journeys.req.errors.timeout).toBeGreaterThan(0);
  });

  it('cancels closed-model think timers on stop: no request leaves after it', async () => {
    const s = await startServer();
    closers.push(s.close);
    const sc = scenario(s.url, { closed: { users: 5, think: { kind: 'const', value: 0.3 } } });
    const run = startLoad(sc, { duration: 10 });
    await new Promise((r) => setTimeout(r, 450));
    run.stop();
    await run.result;
    const n = s.seen.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(s.seen.length).toBe(n);
    expect(n).toBeGreaterThanOrEqual(5);
  });
});
