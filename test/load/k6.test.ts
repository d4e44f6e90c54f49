import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../loadtests/errors.js';
import { executorFor, thresholdsFrom } from '../../loadtests/k6/executor.js';
import { K6PointsImport } from '../../loadtests/k6/import.js';
import { mergeOutputs } from '../../loadtests/k6/merge.js';
import { findK6, runK6 } from '../../loadtests/k6/runner.js';
import { k6Script } from '../../loadtests/k6/script.js';
import { parseK6Summary, resultFromSummary } from '../../loadtests/k6/summary.js';
import { maskTarget } from '../../loadtests/mask.js';
import type { LoadBudget } from '../../loadtests/shape.js';
import { resolveEnv, Secrets } from '../../loadtests/template.js';
import { parseScenario } from '../../scenarios/load.js';
import { typecheck } from './k6-module.js';
import { startServer } from './servers.js';

const fixture = (f: string) =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url)), 'utf8');

const budgets: LoadBudget[] = [
  { expr: 'play.p99 < 400ms', subject: 'play', metric: 'p99', op: '<', limit: 400 },
  { expr: 'play.errors < 0.5%', subject: 'play', metric: 'errors', op: '<', limit: 0.005 },
  { expr: 'search.p999 <= 900ms', subject: 'search', metric: 'p999', op: '<=', limit: 900 },
];

/** Built through the schema, as `backline k6` reads a scenario file. */
const scenario = parseScenario(
  `name: spotify-evening-peak
seed: 2026
duration: 60s
catalog: { items: 10000000, popularity: zipf(1) }
users:
  population: 2000000
  arrivals: poisson(100/s)
  journeys:
    play: { weight: 70, steps: [gateway] }
    search: { weight: 20, steps: [gateway] }
services: { gateway: { time: exp(1ms) } }
budgets:
  play.p99: < 400ms
  play.errors: < 0.5%
  search.p999: <= 900ms
load:
  target: http://127.0.0.1:8080
  tool: k6
  profile: [{ ramp: 0 -> 500/s, over: 60s }, { hold: 500/s, for: 300s }]
  requests:
    play: { get: { url: "/v1/tracks/{{catalog.item}}/play", headers: { authorization: "Bearer \${env.API_TOKEN}" } } }
    search: "GET /v1/search?q={{faker.music.songName}}&u={{user.id}}"
`,
  'k6-test.yaml',
);

describe('k6 script generation', () => {
  it('generates scripts (open and closed model) that typecheck against @types/k6', () => {
    const script = k6Script(scenario);
    const closed = k6Script(
      { ...scenario, load: { ...scenario.load!, closed: { users: 20, think: { kind: 'exp', mean: 2 } } } },
      { duration: 30 },
    );
    const r = typecheck(script, closed);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
    expect(script).toContain('"executor": "ramping-arrival-rate"');
    expect(script).toContain('"journey_duration{journey:play}": [\n      "p(99)<400"');
    expect(script).toContain('"journey_failed{journey:play}": [\n      "rate<0.005"');
    expect(script).toContain('"p(99)"');
    expect(script).toContain('tags: { journey: flow, step: name, name }');
    expect(script).toContain(`(__ENV["API_TOKEN"] ?? '')`);
    expect(script).toContain('export function handleSummary');
  });

  it('never writes a secret value into the script', () => {
    process.env.API_TOKEN = 'very-secret-token-123';
    try {
      expect(k6Script(scenario)).not.toContain('very-secret-token-123');
    } finally {
      delete process.env.API_TOKEN;
    }
  });

  it('a closed model uses ramping-vus with the think time', () => {
    const closed: typeof scenario = {
      ...scenario,
      load: { ...scenario.load!, closed: { users: 20, think: { kind: 'exp', mean: 2 } } },
    };
    const script = k6Script(closed, { duration: 30 });
    expect(script).toContain('"executor": "ramping-vus"');
    // The think time is sampled in the script from the scenario's distribution.
    expect(script).toContain('const THINK: Dist = {"kind":"exp","mean":2};');
    expect(script).toContain('const pause = sample(THINK);');
  });

  it('maps profiles to executors', () => {
    expect(executorFor([{ kind: 'hold', rate: 200, for: 90 }], undefined, 90)).toMatchObject({
      executor: 'constant-arrival-rate',
      rate: 200,
      duration: '90s',
      timeUnit: '1s',
    });
    expect(
      executorFor(
        [
          { kind: 'ramp', from: 0, to: 500, over: 60 },
          { kind: 'hold', rate: 500, for: 300 },
          { kind: 'spike', rate: 2000, for: 30 },
        ],
        undefined,
        390,
      ),
    ).toMatchObject({
      executor: 'ramping-arrival-rate',
      startRate: 0,
      stages: [
        { target: 500, duration: '60s' },
        { target: 500, duration: '300s' },
        { target: 2000, duration: '0s' },
        { target: 2000, duration: '30s' },
      ],
    });
  });

  it('turns step and check budgets into thresholds on tagged submetrics', () => {
    const b = (expr: string, subject: string, metric: string, op: '<' | '>', limit: number) =>
      ({ expr, subject, metric, op, limit }) satisfies LoadBudget;
    expect(
      thresholdsFrom(
        [
          b('play.checks > 99.9%', 'play', 'checks', '>', 0.999),
          b('play.throughput > 10/s', 'play', 'throughput', '>', 10),
          b('play[get /v1/tracks].p99 < 200ms', 'play[get /v1/tracks]', 'p99', '<', 200),
          b('play[get /v1/tracks].errors < 1%', 'play[get /v1/tracks]', 'errors', '<', 0.01),
          b('play[get /v1/tracks].checks > 99%', 'play[get /v1/tracks]', 'checks', '>', 0.99),
          b('play[a, b].p99 < 1ms', 'play[a, b]', 'p99', '<', 1),
          b('gateway.p99 < 1ms', 'gateway', 'p99', '<', 1),
        ],
        ['play'],
      ),
    ).toEqual({
      thresholds: {
        'checks{journey:play}': ['rate>0.999'],
        'journeys{journey:play}': ['rate>10'],
        'http_req_duration{journey:play,step:get /v1/tracks}': ['p(99)<200'],
        'step_failed{journey:play,step:get /v1/tracks}': ['rate<0.01'],
        'checks{journey:play,step:get /v1/tracks}': ['rate>0.99'],
      },
      // k6 splits submetric tags on commas; a service budget is not k6's to check.
      skipped: ['play[a, b].p99 < 1ms'],
    });
  });

  it('turns budgets into k6 thresholds', () => {
    expect(thresholdsFrom(budgets, ['play', 'search'])).toEqual({
      thresholds: {
        'journey_duration{journey:play}': ['p(99)<400'],
        'journey_failed{journey:play}': ['rate<0.005'],
        'journey_duration{journey:search}': ['p(99.9)<=900'],
      },
      skipped: [],
    });
  });
});

describe('k6 output import', () => {
  it('computes exact percentiles from NDJSON points and names errors by cause', () => {
    const imp = new K6PointsImport();
    imp.addNdjson(fixture('k6-points-a.ndjson'), 'k6-points-a.ndjson');
    const r = imp.result({ scenario: 's', hash: 'h' });
    const play = r.journeys.play;
    expect(play.count).toBe(54);
    expect(play.errors).toEqual({ refused: 1, status_503: 2, timeout: 1 });
    expect(play.latency.p50).toBeCloseTo(25, 1);
    expect(play.latency.p99).toBeCloseTo(50, 1);
    expect(play.latency.max).toBe(50);
    expect(play.latency.mean).toBeCloseTo(25.5, 6);
    expect(r.tool).toBe('k6');
  });

  it('reports a malformed NDJSON line with its number and skips it', () => {
    const imp = new K6PointsImport();
    imp.addNdjson(fixture('k6-points-a.ndjson'), 'k6-points-a.ndjson');
    imp.addNdjson(
      '{"type":"Point","metric":"http_req_duration","data":{"time":"x"}}\nnot json\n',
      'b.ndjson',
    );
    expect(imp.issues.map((i) => `${i.file}:${i.line}`)).toEqual([
      'k6-points-a.ndjson:157',
      'b.ndjson:1',
      'b.ndjson:2',
    ]);
    expect(imp.issues[0].message).toMatch(/not JSON/);
    expect(imp.points).toBe(54);
  });

  it('reads --summary-export: flattened values, thresholds where true means failed, checks', () => {
    const s = parseK6Summary(fixture('k6-summary-export.json'));
    expect(s.metrics['http_req_duration{journey:play}']['p(99)']).toBe(99.01);
    expect(s.thresholds.http_req_duration['p(99)<250']).toBe(true);
    expect(s.thresholds['http_req_duration{journey:play}']['p(99)<40']).toBe(false);
    expect(s.thresholds.http_req_failed['rate<0.005']).toBe(false);
    expect(s.checks).toEqual([{ name: 'status is 2xx', passes: 100, fails: 4 }]);
    const r = resultFromSummary(s, { scenario: 's', hash: 'h' });
    expect(r.journeys.play).toMatchObject({ count: 104, throughput: 51.2, errors: { failed: 4 } });
    expect(r.journeys.play.latency.p99).toBe(99.01);
  });

  it('a summary of a flow script gives each journey its whole-flow numbers (journey_* submetrics)', () => {
    const s = parseK6Summary(
      JSON.stringify({
        root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
        metrics: {
          'journey_duration{journey:play}': {
            avg: 120,
            med: 100,
            'p(90)': 180,
            'p(95)': 190,
            'p(99)': 250,
            max: 300,
          },
          'journey_failed{journey:play}': { value: 0.25, passes: 10, fails: 30 },
          'journeys{journey:play}': { count: 40, rate: 4 },
          'http_req_duration{journey:play}': { avg: 1, 'p(99)': 2 },
        },
      }),
    );
    const r = resultFromSummary(s, { scenario: 's', hash: 'h' });
    expect(Object.keys(r.journeys)).toEqual(['play']);
    expect(r.journeys.play).toMatchObject({
      count: 40,
      throughput: 4,
      errorRate: 0.25,
      errors: { failed: 10 },
    });
    expect(r.journeys.play.latency).toMatchObject({ mean: 120, p50: 100, p99: 250, max: 300 });
    expect(r.journeys.play.latency.p999).toBeNaN();
  });

  it('reads a handleSummary JSON (values nested, thresholds as { ok })', () => {
    const s = parseK6Summary(
      JSON.stringify({
        root_group: {
          name: '',
          path: '',
          id: 'x',
          groups: [],
          checks: [{ name: 'c', path: '::c', id: 'y', passes: 3, fails: 1 }],
        },
        options: { summaryTrendStats: ['avg', 'p(99)'] },
        state: { testRunDurationMs: 1000 },
        metrics: {
          http_req_duration: {
            type: 'trend',
            contains: 'time',
            values: { avg: 268.3, 'p(99)': 512 },
            thresholds: { 'p(95)<500': { ok: false } },
          },
        },
      }),
    );
    expect(s.metrics.http_req_duration).toEqual({ avg: 268.3, 'p(99)': 512 });
    expect(s.thresholds.http_req_duration['p(95)<500']).toBe(false);
    expect(s.checks).toEqual([{ name: 'c', passes: 3, fails: 1 }]);
  });
});

describe('distributed k6', () => {
  it('merges runners into one result and checks budgets across all of them', () => {
    const { result, issues } = mergeOutputs(
      [
        { file: 'a.ndjson', text: fixture('k6-points-a.ndjson') },
        { file: 'b.ndjson', text: fixture('k6-points-b.ndjson') },
      ],
      { scenario: 'spotify-evening-peak', hash: 'h', budgets },
    );
    expect(issues).toHaveLength(1);
    const play = result.journeys.play;
    expect(play.count).toBe(104);
    // 1..100 ms over both runners: the merged p50 and p99 are those of the union, not of either file.
    expect(play.latency.p50).toBeCloseTo(50, 1);
    expect(play.latency.p99).toBeCloseTo(99, 1);
    expect(result.journeys.search.count).toBe(10);
    expect(result.budgets).toEqual([
      { expr: 'play.p99 < 400ms', value: play.latency.p99, limit: 400, pass: true },
      { expr: 'play.errors < 0.5%', value: play.errorRate, limit: 0.005, pass: false },
      { expr: 'search.p999 <= 900ms', value: result.journeys.search.latency.p999, limit: 900, pass: true },
    ]);
  });

  it('merging RunResults gives the same percentiles as merging their points', () => {
    const a = new K6PointsImport();
    a.addNdjson(fixture('k6-points-a.ndjson'));
    const b = new K6PointsImport();
    b.addNdjson(fixture('k6-points-b.ndjson'));
    const viaResults = mergeOutputs(
      [
        { file: 'a.json', text: JSON.stringify(a.result({ scenario: 's', hash: 'h' })) },
        { file: 'b.json', text: JSON.stringify(b.result({ scenario: 's', hash: 'h' })) },
      ],
      { scenario: 's', hash: 'h' },
    );
    const viaPoints = mergeOutputs(
      [
        { file: 'a', text: fixture('k6-points-a.ndjson') },
        { file: 'b', text: fixture('k6-points-b.ndjson') },
      ],
      { scenario: 's', hash: 'h' },
    );
    expect(viaResults.result.journeys.play.latency).toEqual(viaPoints.result.journeys.play.latency);
  });
});

describe('a real k6 run', () => {
  it.skipIf(findK6() !== undefined)(
    'says clearly that k6 is missing (the CLI exits 3 on this error)',
    async () => {
      const err = await runK6({
        script: '',
        target: 'http://127.0.0.1:1',
        display: 'http://127.0.0.1:1',
        scenario: 's',
        hash: 'h',
      }).catch((e) => e);
      expect(err).toBeInstanceOf(ToolError);
      expect(err.code).toBe('E_RUN');
      expect(err.message).toMatch(/^k6 is not installed or not on PATH/);
    },
  );

  it.skipIf(!findK6())('runs k6 against a loopback server and imports its points', async () => {
    const s = await startServer();
    try {
      const script = k6Script(
        {
          ...scenario,
          load: { ...scenario.load!, profile: [{ kind: 'hold', rate: 20, for: 2 }], requests: {} },
        },
        {},
      );
      const { result } = await runK6({ script, target: s.url, display: s.url, scenario: 's', hash: 'h' });
      expect(result.journeys.play.count + result.journeys.search.count).toBeGreaterThan(30);
    } finally {
      await s.close();
    }
  });
});

describe('target masking', () => {
  it('masks URL credentials and env secret values wherever a target is shown', () => {
    const secrets = new Secrets();
    const target = resolveEnv(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the scenario's secret syntax
      'http://alice:pa55@127.0.0.1:8080/${env.K6_MASK_PATH}/x',
      secrets,
      { K6_MASK_PATH: 'tok-123' },
    );
    expect(target).toBe('http://alice:pa55@127.0.0.1:8080/tok-123/x');
    expect(maskTarget(target, secrets)).toBe('http://***@127.0.0.1:8080/***/x');
    expect(maskTarget('https://only-user@h/')).toBe('https://***@h/');
    expect(maskTarget('http://127.0.0.1:8080/a@b')).toBe('http://127.0.0.1:8080/a@b');
  });
});
