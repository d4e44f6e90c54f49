/**
 * Fuzz: generated scenario documents and `--set` values, run in-process the way `sim` runs them
 * (load and validate, capacity warnings, simulate, budgets, verdict, summary). Every input must end
 * in exit 0, 1 or 2 (or 3 for "no data") and never in `internal error`. Sizes are drawn small or
 * absurd, so what validates runs in milliseconds and what cannot run must be refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../cli/exit.js';
import { formatSummary } from '../../cli/format.js';
import { judge } from '../../results/verdict.js';
import { capacityWarnings } from '../../scenarios/capacity.js';
import { parseScenario } from '../../scenarios/load.js';
import { simulateSync } from '../../sim/run.js';

const NAMES = [
  'api',
  'db',
  'play',
  '__proto__',
  'constructor',
  'toString',
  'a b',
  'x\u001b]0;t\u0007',
  '',
  'é',
];
const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  pick(['NaN', '-1', '1e400', '0', '1e9', '-0', 'null', '~', '[]', '{}', '"', '$' + '{env.X}']), // a secret reference, as scenario text
);
/** Mostly one of `good`, sometimes one of `bad` or junk. */
const value = (good: readonly string[], bad: readonly string[] = ['']) =>
  fc
    .noBias(fc.integer({ min: 0, max: 99 }))
    .chain((roll) => (roll < 98 ? pick(good) : roll < 99 ? pick(bad) : junk));
/** Mostly `good`, sometimes anything in `bad`. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.noBias(fc.integer({ min: 0, max: 99 })).chain((roll): fc.Arbitrary<T | U> => (roll < 98 ? good : bad));

const service = fc.record(
  {
    workers: mostly(fc.integer({ min: 1, max: 8 }) as fc.Arbitrary<unknown>, value(['1e7', '1e12', '-1'])),
    replicas: mostly(fc.integer({ min: 1, max: 3 }) as fc.Arbitrary<unknown>, value(['1e9', '0'])),
    queue: mostly(fc.integer({ min: 0, max: 50 }) as fc.Arbitrary<unknown>, value(['1e10'])),
    time: value(
      ['exp(10ms)', 'normal(mean: 5ms, sd: 20ms)', 'const(1ms)', 'lognormal(median: 2ms, p99: 50ms)'],
      ['exp(0s)', 'zipf(1.1)', 'exp(1e300s)'],
    ),
    timeout: fc.option(value(['50ms', '1s'], ['0s', '1e12s']), { nil: undefined }),
    shed: fc.boolean(),
    retry: mostly(
      fc.constantFrom(undefined, { attempts: 3 }),
      fc.constantFrom({ attempts: 0 }, { attempts: 1e9 }),
    ),
    breaker: mostly(
      fc.constantFrom(undefined, { failures: '50%', window: '1s', open: '1s' }),
      fc.constant({ failures: '200%' }),
    ),
    autoscale: mostly(
      fc.constantFrom(undefined, { min: 1, max: 3, target: '60%', every: '1s', provision: '1s' }),
      fc.constant({ min: 5, max: 2, target: '0%' }),
    ),
  },
  { requiredKeys: ['workers', 'time'] },
);

const doc = fc.record({
  name: value(['fuzz'], ['a b', '']),
  duration: value(['2s', '5s'], ['0s', '1e12s', '-1s']),
  warmup: fc.option(value(['0s', '1s'], ['10s', '-1s']), { nil: undefined }),
  replications: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  arrivals: value(
    [
      'poisson(20/s)',
      'closed(users: 5, think: exp(100ms))',
      'ramp(0 -> 50/s over 2s)',
      'spike(base: 10/s, peak: 40/s, at: 1s, for: 1s)',
      'diurnal(mean: 20/s, amplitude: 50%, period: 2s)',
    ],
    ['poisson(1e12/s)', 'closed(users: 1e9, think: exp(1s))', 'replay(/dev/urandom)'],
  ),
  journeys: mostly(
    fc.record({ play: fc.array(pick(['api', 'db', 'api.x']), { minLength: 1, maxLength: 3 }) }),
    fc.dictionary(pick(NAMES), fc.array(pick(NAMES), { maxLength: 3 }), { maxKeys: 3 }),
  ),
  services: mostly(
    fc.record({ api: service, db: service }),
    fc.dictionary(pick(NAMES), service, { maxKeys: 3 }),
  ),
  budgets: fc.dictionary(
    mostly(
      fc.constantFrom('play.p99', 'play.errors', 'api.utilization', 'play.throughput'),
      pick(['cost', 'play.bogus', 'nope']),
    ),
    value(['< 400ms', '> 1/s', '< 0.5%', '< 1s or no data'], ['<', '< banana']),
    { maxKeys: 3 },
  ),
});

const sets = fc.array(
  fc
    .tuple(
      pick([
        'duration',
        'services.api.workers',
        'users.arrivals',
        'seed',
        'services.__proto__.x',
        'budgets',
        'users.journeys.play.steps',
      ]),
      value(['1s', '3', 'poisson(5/s)', '[api]', '-1', '1e300']),
    )
    .map(([k, v]) => `${k}=${v}`),
  { maxLength: 1 },
);

/** The exit code `sim` would end with for `text` and `overrides`; throws only on a bug. */
function exitOf(text: string, overrides: string[]): number {
  let stderr = '';
  const sink = {
    write: (s: string) => {
      stderr += s;
      return true;
    },
  } as NodeJS.WritableStream;
  try {
    const scenario = parseScenario(text, 'fuzz.yaml', overrides);
    capacityWarnings(scenario);
    const result = simulateSync(scenario, { replications: 1 });
    formatSummary(result);
    return { pass: 0, budget: 1, run: 3 }[judge(result).verdict];
  } catch (err) {
    const code = reportError(err, sink);
    if (stderr.includes('internal error')) throw err;
    return code;
  }
}

describe('fuzz: generated scenarios and --set values', () => {
  it('every input ends in exit 0/1/2/3 and never in an internal error (300 cases)', () => {
    const started = Date.now();
    const counts: Record<number, number> = {};
    fc.assert(
      fc.property(doc, mostly(fc.constant([] as string[]), sets), (d, overrides) => {
        const scenario = {
          name: d.name,
          duration: d.duration,
          ...(d.warmup !== undefined ? { warmup: d.warmup } : {}),
          ...(d.replications !== undefined ? { replications: d.replications } : {}),
          users: {
            arrivals: d.arrivals,
            journeys: Object.fromEntries(Object.entries(d.journeys).map(([k, steps]) => [k, { steps }])),
          },
          services: d.services,
          budgets: d.budgets,
        };
        const code = exitOf(JSON.stringify(scenario, null, 1), overrides);
        expect([0, 1, 2, 3]).toContain(code);
        counts[code] = (counts[code] ?? 0) + 1;
      }),
      { numRuns: 300, seed: 20261202 },
    );
    // Enough reach the simulator and the verdict, not only the validator (numbers of this seed).
    expect((counts[0] ?? 0) + (counts[1] ?? 0) + (counts[3] ?? 0)).toBeGreaterThan(30);
    // A bound on the whole run, generous for a loaded 2-core machine: what runs is tiny.
    expect(Date.now() - started).toBeLessThan(120_000);
  }, 180_000);
});
