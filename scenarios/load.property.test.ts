import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../results/errors.js';
import { parseScenario } from './load.js';

const VALID = readFileSync('test/fixtures/scenarios/valid.yaml', 'utf8');
const MMC = readFileSync('scenarios/catalog/mmc.yaml', 'utf8');
/** The full format: regions, routes, resilience, content, faults, budgets, load. */
const DESIGN = readFileSync('test/fixtures/scenarios/design-example.yaml', 'utf8');

/** Characters that matter to YAML and to the scenario language, so mutations hit interesting paths. */
const interesting = fc.constantFrom(
  ...':,-#[]{}()\'"|>&*!%@`\n\t .0123456789kMsmh/'.split(''),
  'poisson(',
  'exp(',
  '<->',
  '->',
  '< ',
  'ramp(',
  '{ parallel: [',
  'stores.',
);
const someValue = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '1e400',
    '3k/s',
    '2ms',
    'exp(0s)',
    'lognormal(median: 1ms, p99: 1ms)',
    'ramp(0 -> 1G/s over 1000h)',
    'closed(users: 5, think: exp(1s))',
    '< 5%',
    '> 2k/s',
    '1000G',
    '[gateway.play, stream]',
    '{ parallel: [auth.check] }',
    '[]',
    '{}',
    '~',
  ),
  fc.string({ maxLength: 8 }),
  fc.integer().map(String),
);

type Mutation = (text: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 6 })).map(
    ([at, n]): Mutation =>
      (t) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + t.slice(i + n);
      },
  ),
  fc.tuple(fc.nat(), fc.oneof(interesting, fc.string({ maxLength: 4 }))).map(
    ([at, s]): Mutation =>
      (t) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + s + t.slice(i);
      },
  ),
  fc.tuple(fc.nat(), interesting).map(
    ([at, s]): Mutation =>
      (t) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + s + t.slice(i + 1);
      },
  ),
  // Swap two lines (moves keys between mappings, breaks indentation).
  fc.tuple(fc.nat(), fc.nat()).map(
    ([a, b]): Mutation =>
      (t) => {
        const lines = t.split('\n');
        const i = a % lines.length;
        const j = b % lines.length;
        [lines[i], lines[j]] = [lines[j], lines[i]];
        return lines.join('\n');
      },
  ),
  // Replace the value of some `key: value` with a random value.
  fc.tuple(fc.nat(), someValue).map(
    ([a, v]): Mutation =>
      (t) => {
        const lines = t.split('\n');
        const i = a % lines.length;
        lines[i] = lines[i].replace(/:\s.*$/, `: ${v}`);
        return lines.join('\n');
      },
  ),
);

describe('parseScenario under random mutations', () => {
  it('returns a Scenario or throws a ScenarioError with located, human messages', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(VALID, MMC, DESIGN),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (base, muts) => {
          const text = muts.reduce((t, m) => m(t), base);
          try {
            const s = parseScenario(text, 'fuzz.yaml');
            expect(typeof s.name).toBe('string');
            expect(s.duration).toBeGreaterThan(0);
          } catch (e) {
            if (!(e instanceof ScenarioError)) throw e;
            expect(e.issues.length).toBeGreaterThan(0);
            for (const issue of e.issues) {
              expect(issue.line).toBeGreaterThanOrEqual(0);
              expect(issue.col).toBeGreaterThanOrEqual(0);
              expect(issue.message).not.toMatch(/Invalid input|Unrecognized key|could not load/);
            }
          }
        },
      ),
      { numRuns: 500, seed: 20260 },
    );
  });

  it('also survives random --set overrides', () => {
    const path = fc.constantFrom(
      'seed',
      'duration',
      'users.arrivals',
      'services.server.workers',
      'services.server',
      'services.server.routes',
      'services.server.routes.r',
      'faults',
      'faults.0',
      'budgets',
      'regions',
      'latency',
      'load',
      'load.profile',
      'stores.s',
      'a.b',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(path, someValue), { maxLength: 3 }), (sets) => {
        try {
          parseScenario(
            MMC,
            'mmc.yaml',
            sets.map(([p, v]) => `${p}=${v}`),
          );
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          for (const issue of e.issues) expect(issue.message).not.toMatch(/Invalid input|could not load/);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
