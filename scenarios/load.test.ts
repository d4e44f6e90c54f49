import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScenarioError, type ScenarioIssue } from '../results/errors.js';
import { loadScenario, parseScenario } from './load.js';

const fixture = (name: string) => `test/fixtures/scenarios/${name}.yaml`;

/** The issues a failing load reports (fails the test if it does not throw a ScenarioError). */
function issuesOf(load: () => unknown): ScenarioIssue[] {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).issues;
  }
  throw new Error('expected a ScenarioError');
}

/** What every scenario gains from defaults of the sections it leaves out. */
const EMPTY_SECTIONS = {
  regions: {},
  latency: { intra: 0, jitter: 0, pairs: [] },
  stores: {},
  streams: {},
  faults: [],
  budgets: [],
};
/** Defaults of a service beyond replicas, workers, queue and time. */
const SERVICE_DEFAULTS = { balance: 'round-robin', routes: {} };

const MINIMAL = `name: mini
duration: 60s
users:
  arrivals: poisson(10/s)
  journeys:
    req: { steps: [server] }
services:
  server: { time: exp(10ms) }
`;

describe('parseScenario: valid input', () => {
  it('fills defaults and resolves units', () => {
    expect(parseScenario(MINIMAL, 'mini.yaml')).toEqual({
      name: 'mini',
      seed: 1,
      duration: 60,
      warmup: 0,
      replications: 1,
      ...EMPTY_SECTIONS,
      users: {
        population: 0,
        premium: 0,
        arrivals: { kind: 'poisson', rate: 10 },
        journeys: { req: { weight: 1, steps: ['server'] } },
      },
      services: {
        server: {
          replicas: 1,
          workers: 1,
          queue: 1000,
          time: { kind: 'exp', mean: 0.01 },
          ...SERVICE_DEFAULTS,
        },
      },
    });
  });

  it('reads quoted calls, counts with suffixes and routes in steps', () => {
    const s = loadScenario(fixture('valid'));
    expect(s.duration).toBe(600);
    expect(s.warmup).toBe(30);
    expect(s.users.arrivals).toEqual({ kind: 'poisson', rate: 2000 });
    expect(s.users.journeys.buy).toEqual({ weight: 30, steps: ['gateway.checkout', 'payments'] });
    expect(s.services.gateway.time).toEqual({
      kind: 'lognormal',
      mu: Math.log(0.002),
      sigma: (Math.log(0.012) - Math.log(0.002)) / 2.3263478740408408,
    });
    expect(s.services.payments).toEqual({
      replicas: 1,
      workers: 2000,
      queue: 1000,
      time: { kind: 'uniform', min: 0.005, max: 0.02 },
      ...SERVICE_DEFAULTS,
    });
  });

  it('accepts calls written unquoted, which plain YAML would misread', () => {
    const text = MINIMAL.replace(
      'server: { time: exp(10ms) }',
      'server:\n    time: lognormal(median: 2ms, p99: 12ms)\n  db: { time: uniform(1ms, 3ms), workers: 4 }',
    ).replace('[server]', '[server, db]');
    const s = parseScenario(text, 'u.yaml');
    expect(s.services.server.time).toEqual({
      kind: 'lognormal',
      mu: Math.log(0.002),
      sigma: (Math.log(0.012) - Math.log(0.002)) / 2.3263478740408408,
    });
    expect(s.services.db).toEqual({
      replicas: 1,
      workers: 4,
      queue: 1000,
      time: { kind: 'uniform', min: 0.001, max: 0.003 },
      ...SERVICE_DEFAULTS,
    });
  });
});

describe('parseScenario: located errors', () => {
  it('suggests `replicas` for `replica` at the key', () => {
    expect(issuesOf(() => loadScenario(fixture('unknown-key')))).toEqual([
      {
        file: 'test/fixtures/scenarios/unknown-key.yaml',
        line: 9,
        col: 5,
        message: 'unknown key `replica`; did you mean `replicas`?',
      },
    ]);
  });

  it('lists the valid keys when no key is close', () => {
    const text = MINIMAL.replace('server: { time', 'server: { colour: red, time');
    expect(issuesOf(() => parseScenario(text, 's.yaml'))).toEqual([
      {
        file: 's.yaml',
        line: 8,
        col: 13,
        message:
          'unknown key `colour`; expected one of `regions`, `replicas`, `workers`, `queue`, `time`, `balance`, `timeout`, `deadline`, `routes`, `retry`, `breaker`, `hedge`, `shed`, `autoscale`, `discovery`, `cost`',
      },
    ]);
  });

  it('reports YAML syntax errors at the position yaml gives', () => {
    // Kept inline: a broken .yaml fixture file would fail `biome check`, which parses YAML too.
    const text = MINIMAL.replace('{ steps: [server] }', '{ steps: [server]');
    expect(issuesOf(() => parseScenario(text, 'broken.yaml'))).toEqual([
      {
        file: 'broken.yaml',
        line: 7,
        col: 1,
        message: 'Flow map in block collection must be sufficiently indented and end with a }',
      },
    ]);
  });

  it('reports duplicate keys', () => {
    expect(issuesOf(() => parseScenario(`${MINIMAL}duration: 5s\n`, 'd.yaml'))).toEqual([
      { file: 'd.yaml', line: 9, col: 1, message: 'Map keys must be unique' },
    ]);
  });

  it('collects every problem of a file into one error, in reading order', () => {
    const file = fixture('many-errors');
    let error: unknown;
    try {
      loadScenario(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).message).toBe(
      [
        `${file}:1:7  name must be non-empty and use only letters, digits, \`.\`, \`_\` and \`-\``,
        `${file}:2:11  bad duration \`20000\`: missing unit, e.g. \`20000s\``,
        `${file}:5:13  bad arrivals \`poisson(0/s)\`: rate must be positive`,
        `${file}:7:20  unknown service \`sever\` in step; did you mean \`server\`?`,
        `${file}:10:14  expected a number like \`4\` or \`2k\` for \`workers\``,
        `${file}:11:12  \`queue\` must be at least 0, got -1`,
        `${file}:12:11  bad duration \`1 parsec\`: expected a number and a unit (us, ms, s, m, h)`,
      ].join('\n'),
    );
  });

  it('reports a negative rate as not positive', () => {
    const text = MINIMAL.replace('poisson(10/s)', 'poisson(-10/s)');
    expect(issuesOf(() => parseScenario(text, 's.yaml'))).toEqual([
      { file: 's.yaml', line: 4, col: 13, message: 'bad arrivals `poisson(-10/s)`: rate must be positive' },
    ]);
  });

  it('points into calls that were written unquoted in flow mappings', () => {
    const text = MINIMAL.replace('exp(10ms)', 'uniform(2ms, 1ms)');
    expect(issuesOf(() => parseScenario(text, 's.yaml'))).toEqual([
      {
        file: 's.yaml',
        line: 8,
        col: 19,
        message: 'bad distribution `uniform(2ms, 1ms)`: min must not exceed max',
      },
    ]);
  });

  it('locates the warmup when it is not shorter than the duration', () => {
    const text = MINIMAL.replace('duration: 60s', 'duration: 60s\nwarmup: 2m');
    expect(issuesOf(() => parseScenario(text, 's.yaml'))).toEqual([
      { file: 's.yaml', line: 3, col: 9, message: 'warmup (120s) must be shorter than duration (60s)' },
    ]);
  });

  it('names the missing key at the mapping that lacks it', () => {
    const text = MINIMAL.replace('duration: 60s\n', '').replace('{ time: exp(10ms) }', '{ workers: 2 }');
    expect(issuesOf(() => parseScenario(text, 's.yaml'))).toEqual([
      { file: 's.yaml', line: 1, col: 1, message: 'missing `duration`: expected a duration like `20000s`' },
      {
        file: 's.yaml',
        line: 7,
        col: 3,
        message: 'missing `time`: expected a distribution like `exp(1ms)` for `time`',
      },
    ]);
  });

  it('words type errors for people', () => {
    const text = 'name: x\nduration: 1s\nusers: 5\nservices: []\nreplications: 1.5\n';
    expect(issuesOf(() => parseScenario(text, 't.yaml'))).toEqual([
      { file: 't.yaml', line: 3, col: 8, message: 'expected a mapping for `users`' },
      { file: 't.yaml', line: 4, col: 11, message: 'expected a mapping of service names' },
      { file: 't.yaml', line: 5, col: 15, message: '`replications` must be a whole number, got 1.5' },
    ]);
  });

  it('refuses service names that would break `service.route` steps', () => {
    const text = MINIMAL.replace('server: { time', 'server: { time: exp(1ms) }\n  a.b: { time');
    expect(issuesOf(() => parseScenario(text, 's.yaml'))).toEqual([
      {
        file: 's.yaml',
        line: 9,
        col: 3,
        message: 'bad service name `a.b`: use only letters, digits, `_` and `-`',
      },
    ]);
  });

  it('reports an empty file as not a scenario', () => {
    expect(issuesOf(() => parseScenario('', 'e.yaml'))).toEqual([
      {
        file: 'e.yaml',
        line: 1,
        col: 1,
        message: 'a scenario must be a mapping with `name`, `duration`, `users` and `services`',
      },
    ]);
  });

  it('reports an alias without an anchor at the alias', () => {
    expect(issuesOf(() => parseScenario(MINIMAL.replace('name: mini', 'name: *nope'), 'a.yaml'))).toEqual([
      {
        file: 'a.yaml',
        line: 1,
        col: 7,
        message: 'cannot read YAML: Unresolved alias (the anchor must be set before the alias): nope',
      },
    ]);
  });

  it('reports a missing file on line 0', () => {
    const issues = issuesOf(() => loadScenario('test/fixtures/scenarios/absent.yaml'));
    expect(issues).toEqual([
      { file: 'test/fixtures/scenarios/absent.yaml', line: 0, col: 0, message: 'file not found' },
    ]);
    expect(new ScenarioError(issues).message).toBe('test/fixtures/scenarios/absent.yaml  file not found');
  });
});

describe('overrides (--set)', () => {
  it('go through the schema, typed like the file', () => {
    const s = parseScenario(MINIMAL, 'm.yaml', [
      'services.server.workers=8',
      'users.arrivals=poisson(5/s)',
      'services.server.time=lognormal(median: 2ms, p99: 12ms)',
      'warmup=5s',
    ]);
    expect(s.services.server.workers).toBe(8);
    expect(s.users.arrivals).toEqual({ kind: 'poisson', rate: 5 });
    expect(s.services.server.time.kind).toBe('lognormal');
    expect(s.warmup).toBe(5);
  });

  it('can add whole new entries as flow YAML', () => {
    const s = parseScenario(MINIMAL, 'm.yaml', ['services.cache={ workers: 2k, time: uniform(1ms, 2ms) }']);
    expect(s.services.cache).toEqual({
      replicas: 1,
      workers: 2000,
      queue: 1000,
      time: { kind: 'uniform', min: 0.001, max: 0.002 },
      ...SERVICE_DEFAULTS,
    });
  });

  it('index list items by number', () => {
    const text = MINIMAL.replace('[server]', '[server, server]');
    expect(
      parseScenario(text, 'm.yaml', ['users.journeys.req.steps.1=server.list']).users.journeys.req.steps,
    ).toEqual(['server', 'server.list']);
  });

  it('report their own mistakes against the --set, not the file', () => {
    const issues = issuesOf(() =>
      parseScenario(MINIMAL, 'm.yaml', [
        'services.server.workers=0',
        'services.server.replica=2',
        'users.journeys.req.steps=[sever]',
      ]),
    );
    expect(new ScenarioError(issues).message).toBe(
      [
        '--set services.server.workers=0  `workers` must be at least 1, got 0',
        '--set services.server.replica=2  unknown key `replica`; did you mean `replicas`?',
        '--set users.journeys.req.steps=[sever]  unknown service `sever` in step; did you mean `server`?',
      ].join('\n'),
    );
  });

  it('report malformed --set as a ScenarioError', () => {
    expect(issuesOf(() => parseScenario(MINIMAL, 'm.yaml', ['seed']))).toEqual([
      {
        file: '--set seed',
        line: 0,
        col: 0,
        message: 'expected `--set path.to.key=value`, e.g. `--set services.server.workers=8`',
      },
    ]);
    expect(issuesOf(() => parseScenario(MINIMAL, 'm.yaml', ['services..workers=2']))[0].message).toBe(
      'expected `--set path.to.key=value`: the path has an empty part',
    );
    expect(issuesOf(() => parseScenario(MINIMAL, 'm.yaml', ['seed=[1,']))[0].message).toBe(
      'bad value: Flow sequence must end with a ]',
    );
    expect(issuesOf(() => parseScenario(MINIMAL, 'm.yaml', ['name.x=1']))[0]).toEqual({
      file: '--set name.x=1',
      line: 0,
      col: 0,
      message: 'cannot set `name.x`: `name` is not a mapping',
    });
  });

  it('report cross-field problems at the field, even when an override caused them', () => {
    expect(issuesOf(() => parseScenario(MINIMAL, 'm.yaml', ['warmup=2m']))).toEqual([
      {
        file: '--set warmup=2m',
        line: 0,
        col: 0,
        message: 'warmup (120s) must be shorter than duration (60s)',
      },
    ]);
  });
});

describe('loadScenario', () => {
  it('loads the catalog M/M/c case by name', () => {
    // Its `load` section (a two-step flow for the twin) is checked in test/flows.
    const { load, ...mmc } = loadScenario('mmc');
    expect(load?.requests.req.map((step) => step.kind)).toEqual(['request', 'request']);
    expect(mmc).toEqual({
      name: 'mmc',
      about: 'M/M/4 queue at 80 % load (λ=3.2/s, μ=1/s); Erlang-C gives W = 1.745541 s.',
      seed: 1,
      duration: 20000,
      warmup: 1000,
      replications: 5,
      ...EMPTY_SECTIONS,
      users: {
        population: 0,
        premium: 0,
        arrivals: { kind: 'poisson', rate: 3.2 },
        journeys: { req: { weight: 1, steps: ['server'] } },
      },
      services: {
        server: {
          replicas: 1,
          workers: 4,
          queue: 100000,
          time: { kind: 'exp', mean: 1 },
          ...SERVICE_DEFAULTS,
        },
      },
    });
  });

  it('loads the same scenario by path', () => {
    expect(loadScenario('scenarios/catalog/mmc.yaml')).toEqual(loadScenario('mmc'));
    expect(readFileSync('scenarios/catalog/mmc.yaml', 'utf8')).toContain('W = 1.745541 s');
  });

  it('suggests a catalog name for an unknown one', () => {
    expect(issuesOf(() => loadScenario('mcc'))).toEqual([
      {
        file: 'mcc',
        line: 0,
        col: 0,
        message: 'unknown scenario `mcc`: not a file path nor a catalog name; did you mean `mmc`?',
      },
    ]);
  });
});
