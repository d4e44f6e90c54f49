import type http from 'node:http';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Dashboard } from '../../cli/dashboard/Dashboard.js';
import { ms, si } from '../../cli/dashboard/glyphs.js';
import { mountLoadDashboard } from '../../cli/dashboard/load-live.js';
import { LoadTracker } from '../../cli/dashboard/load-view.js';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import { evaluateLoadBudgets } from '../../loadtests/budgets.js';
import type { LoadSnapshot } from '../../loadtests/collector.js';
import { loadScenario } from '../../scenarios/load.js';
import { startServer, type TestServer } from '../load/servers.js';
import { stripAnsi } from './ansi.js';
import { FakeStdin, fakeStdout } from './terminal.js';

// 50/s for 1 s of `play` (3/4) and `search` (1/4) on /v1/tracks/… and /v1/search.
const scenario = loadScenario(fileURLToPath(new URL('../load/fixtures/load-cli.yaml', import.meta.url)));

/** Answers `play` and turns every `search` away with a 503, so the frame has a cause to show. */
const searchBusy = (req: http.IncomingMessage, res: http.ServerResponse) => {
  if (req.url?.startsWith('/v1/search')) res.statusCode = 503;
  res.end('ok');
};

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('load dashboard on a real load', () => {
  it('frames a short load against a loopback server with the numbers of its result', async () => {
    const s = await startServer(searchBusy);
    servers.push(s);
    const run = startLoad(scenario, { target: s.url });
    const tracker = new LoadTracker({ scenario, seed: 5, mode: { kind: 'open' } });
    let last: LoadSnapshot | undefined;
    run.on('snapshot', (x) => {
      tracker.update(x);
      last = x;
    });
    const o = await run.outcome;
    if (!last) throw new Error('no snapshot');

    const live = stripAnsi(
      render(<Dashboard view={tracker.view()} width={100} height={24} />).lastFrame() ?? '',
    );
    expect(live).toContain('backline load load-cli  open model  seed 5  running');
    expect(live).toMatch(
      new RegExp(`\\d+\\.\\d/50\\.0 req/s  ${last.sent} sent  ${last.inFlight} in flight`),
    );
    expect(live).toMatch(/play\s+\d+\.\d+\s+\S+(?:us|ms|s)\s+\S+s?\s+0\.0%\s+✓ pass/);

    // As `backline load` does before its last frame.
    o.result.budgets = evaluateLoadBudgets(o.result, scenario.budgets);
    tracker.finish(o.result);
    const f = stripAnsi(
      render(<Dashboard view={tracker.view()} width={100} height={24} keys={false} />).lastFrame() ?? '',
    );
    const { play, search } = o.result.journeys;
    expect(play.count + search.count).toBe(50);
    expect(search.errors).toEqual({ status_503: search.count });
    expect(f).toContain('backline load load-cli  open model  seed 5  done');
    expect(f).toMatch(/ 100% {2}1\.0s\/1\.0s {2}\d+\.\d\/50\.0 req\/s {2}50 measured/);
    expect(f).toMatch(
      new RegExp(
        `play\\s+${esc(si(play.throughput))}\\s+${esc(ms(play.latency.p50))}\\s+${esc(ms(play.latency.p99))}\\s+0\\.0% {2}✓ pass`,
      ),
    );
    expect(f).toMatch(
      new RegExp(`search\\s+${esc(si(search.throughput))}\\s+- +- +100\\.0% +503×${search.count}`),
    );
  });

  it('stops a live load on q and keeps the partial result', async () => {
    const s = await startServer(searchBusy);
    servers.push(s);
    const run = startLoad(scenario, { target: s.url, duration: 30 });
    const stdout = fakeStdout(100, 30);
    const stdin = new FakeStdin();
    const board = mountLoadDashboard(run, {
      scenario,
      seed: 5,
      mode: { kind: 'open' },
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      intervalMs: 20,
    });
    await new Promise<void>((resolve) =>
      run.on('snapshot', (x) => {
        if (x.journeys.some((j) => j.count > 0)) resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 60));
    expect(stripAnsi(stdout.frames.at(-1) ?? '')).toMatch(/\/30\.0s {2}\d+\.\d+\/50\.0 req\/s/);
    stdin.type('q');
    const o = await run.outcome;
    // Ink writes a frame asynchronously; the one after `q` says so.
    await new Promise((r) => setTimeout(r, 60));
    expect(stdout.frames.some((f) => stripAnsi(f).includes('stopping…'))).toBe(true);
    await board.finish(o.result);
    expect(o.result.partial).toBe(true);
    expect(o.result.window.end).toBeLessThan(30);
    const measured = o.result.journeys.play.count + o.result.journeys.search.count;
    expect(measured).toBeGreaterThan(0);
    expect(measured).toBeLessThan(1500);
    const last = stripAnsi(stdout.frames.at(-1) ?? '');
    expect(last).toContain('stopped (partial)');
    expect(last).toMatch(new RegExp(`play\\s+${esc(si(o.result.journeys.play.throughput))}\\s`));
    expect(last).not.toContain('q stop');
  });
});
