/**
 * The rest of the scenario format: arrival processes, replay files, `--set` overrides.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from './load.js';
import { BASE, errorOf } from './test-support.js';

const DESIGN = 'test/fixtures/scenarios/design-example.yaml';

describe('the rest of the format', () => {
  it('reads every arrival process, spike stages, long request forms and crash-all', () => {
    const text = BASE.replace(
      'poisson(100/s)',
      'spike(base: 1k/s, peak: 5k/s, at: 2m, for: 30s)',
    ).concat(`faults:
  - { at: 1m, for: 10s, crash: api }
  - { at: 2m, for: 10s, partition: a<->b }
regions: { a: { users: 50% }, b: { users: 50% } }
latency: { jitter: 10%, a <-> b: 20ms }
load:
  target: http://localhost:9000
  profile: [{ spike: 2k/s, for: 10s }, { ramp: 1k -> 2k/s, over: 1m }]
  closed: { users: 50, think: exp(1s) }
  requests:
    go: { method: POST, path: /v1/go, headers: { x-token: "\${env.TOKEN}" }, body: "{}" }
`);
    const s = parseScenario(text, 's.yaml', ['services.api.replicas=3']);
    expect(s.users.arrivals).toEqual({ kind: 'spike', base: 1000, peak: 5000, at: 120, for: 30 });
    expect(s.faults).toEqual([
      { at: 60, for: 10, kind: 'crash', target: 'api', count: 3 },
      { at: 120, for: 10, kind: 'partition', a: 'a', b: 'b' },
    ]);
    expect(s.latency).toEqual({ intra: 0, jitter: 0.1, pairs: [{ a: 'a', b: 'b', oneWay: 0.02 }] });
    expect(s.load?.profile).toEqual([
      { kind: 'spike', rate: 2000, for: 10 },
      { kind: 'ramp', from: 1000, to: 2000, over: 60 },
    ]);
    expect(s.load?.closed).toEqual({ users: 50, think: { kind: 'exp', mean: 1 } });
    expect(s.load?.requests.go).toEqual([
      {
        kind: 'request',
        name: 'post /v1/go',
        capture: [],
        check: [],
        method: 'POST',
        path: '/v1/go',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the template stays as text for the load drivers.
        headers: { 'x-token': '${env.TOKEN}' },
        body: '{}',
      },
    ]);
  });

  it('resolves a replay file against the scenario folder, and reports a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backline-replay-'));
    writeFileSync(join(dir, 'times.csv'), '0.1\n0.5\n');
    const file = join(dir, 's.yaml');
    writeFileSync(file, BASE.replace('poisson(100/s)', 'replay(times.csv)'));
    expect(loadScenario(file).users.arrivals).toEqual({ kind: 'replay', file: join(dir, 'times.csv') });
    writeFileSync(file, BASE.replace('poisson(100/s)', 'replay(absent.csv)'));
    expect(errorOf(() => loadScenario(file))).toBe(
      `${file}:4:13  replay file not found: ${join(dir, 'absent.csv')}`,
    );
  });

  it('takes --set overrides into the new sections, typed by the same schema', () => {
    const s = loadScenario(DESIGN, [
      'services.auth.replicas=8',
      'services.gateway.balance=least-conn',
      'p2p.online=50%',
    ]);
    expect([s.services.auth.replicas, s.services.gateway.balance, s.p2p?.online]).toEqual([
      8,
      'least-conn',
      0.5,
    ]);
    const budgets = loadScenario(DESIGN, [
      'budgets.play.p99=< 300ms',
      'budgets.gateway.utilization=< 70%',
    ]).budgets;
    expect(budgets.map((b) => [b.expr, b.kind, b.limit, b.line])).toEqual([
      // Set on the command line: no position in the file.
      ['play.p99 < 300ms', 'journey', 300, 0],
      ['play.errors < 0.5%', 'journey', 0.005, 65],
      ['plays.lag.p99 < 5s', 'stream', 5, 66],
      ['p2p.server_share < 15%', 'p2p', 0.15, 67],
      ['gateway.utilization < 70%', 'service', 0.7, 0],
    ]);
    expect(errorOf(() => loadScenario(DESIGN, ['services.gateway.balance=p2d']))).toBe(
      '--set services.gateway.balance=p2d  unknown balancer `p2d`; did you mean `p2c`?',
    );
  });
});
