/**
 * Files a scenario is or names are read only when they are regular files of bounded size:
 * `validate /dev/zero` and `replay(/dev/urandom)` are refused, a huge file is refused with its
 * size limit named; a replay file with no parsable rows is refused quoting the first bad line, and
 * unparsable rows are counted in a warning instead of skipped in silence.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../results/errors.js';
import { capacityWarnings, offeredLoad } from './capacity.js';
import { loadScenario } from './load.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-inputs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function errorOf(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).message;
  }
  throw new Error('expected a ScenarioError');
}

function withReplay(csv: string): string {
  const file = join(tmp, `s-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    [
      'name: r',
      'duration: 60s',
      'users:',
      `  arrivals: 'replay(${csv})'`,
      '  journeys:',
      '    req: { steps: [server] }',
      'services:',
      '  server: { workers: 4, time: exp(10ms) }',
      '',
    ].join('\n'),
  );
  return file;
}

describe('input files', () => {
  it('refuses a character device as the scenario (validate /dev/zero would read forever)', () => {
    expect(errorOf(() => loadScenario('/dev/zero'))).toBe(
      '/dev/zero  scenario file /dev/zero is a character device, not a regular file',
    );
  });

  it('refuses a scenario file over 16 MiB and names the limit', () => {
    const big = join(tmp, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, 17 * 2 ** 20);
    expect(errorOf(() => loadScenario(big))).toContain('is 17 MiB; the limit is 16 MiB');
  });

  it('refuses replay(/dev/urandom), located at the arrivals', () => {
    const msg = errorOf(() => loadScenario(withReplay('/dev/urandom')));
    expect(msg).toMatch(/:4:\d+ {2}replay file \/dev\/urandom is a character device, not a regular file$/);
  });

  it('refuses a replay file with no parsable rows, quoting the first bad line', () => {
    const csv = join(tmp, 'bad.csv');
    writeFileSync(csv, 'time\nsoon\nlater\n');
    expect(errorOf(() => loadScenario(withReplay(csv)))).toContain(
      `replay file ${csv} has no parsable rows (arrival times in seconds, one per line); first bad line 2: \`soon\``,
    );
    const empty = join(tmp, 'empty.csv');
    writeFileSync(empty, '\n\n');
    expect(errorOf(() => loadScenario(withReplay(empty)))).toContain('has no parsable rows');
  });

  it('counts unparsable rows in a warning instead of skipping them in silence', () => {
    const csv = join(tmp, 'some.csv');
    writeFileSync(csv, 't\n0.5\n1.5\nNaN\n2\n-3\n');
    const s = loadScenario(withReplay(csv));
    expect(capacityWarnings(s)).toContain(
      `replay file ${csv}: 2 unparsable row(s) skipped of 5; first line 4: \`NaN\``,
    );
  });
});

describe('sizes that validate must run', () => {
  const base = (arrivals: string, extra = '') =>
    [
      'name: big',
      'duration: 60s',
      'users:',
      `  arrivals: '${arrivals}'`,
      '  journeys:',
      '    req: { steps: [server] }',
      'services:',
      '  server: { workers: 4, time: exp(10ms) }',
      extra,
    ].join('\n');
  const load = (text: string) => {
    const file = join(tmp, `size-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    return loadScenario(file);
  };

  it('refuses closed(users: 1e9) with the limit named; 1e6 validates', () => {
    expect(errorOf(() => load(base('closed(users: 1e9, think: exp(1s))')))).toContain(
      'users must be at most 1e6, got 1e9',
    );
    expect(load(base('closed(users: 1e6, think: exp(1s))')).users.arrivals).toMatchObject({ users: 1e6 });
  });

  it('refuses a store of 1e6 shards × 100 vnodes with the ring limit named', () => {
    const store = 'stores:\n  kv: { shards: 1000000, vnodes: 100, time: exp(1ms) }\n';
    expect(errorOf(() => load(base('poisson(10/s)', store)))).toContain(
      '1000000 shards × 100 vnodes make a hash ring of 100000000 points; the limit is 1e7',
    );
  });
});

describe('capacity warning for closed users', () => {
  const closed = (users: number, think: string, time: string, workers: number) => {
    const file = join(tmp, `closed-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      [
        'name: closed',
        'duration: 60s',
        'users:',
        `  arrivals: 'closed(users: ${users}, think: ${think})'`,
        '  journeys:',
        '    req: { steps: [server] }',
        'services:',
        `  server: { workers: ${workers}, time: '${time}' }`,
        '',
      ].join('\n'),
    );
    return capacityWarnings(loadScenario(file));
  };

  it('uses N / (Z + D): 50 users, 1 s think, 1 s work on 40 workers offer 25/s (ρ 0.63), no warning', () => {
    // The open-rate reading N / Z = 50/s gave ρ = 1.25 and "queues will grow until rejected".
    expect(closed(50, 'exp(1s)', 'exp(1s)', 40)).toEqual([]);
  });

  it('a saturated closed model says the queue is bounded by the users, not "until rejected"', () => {
    const [w] = closed(100, 'exp(1s)', 'exp(100ms)', 4);
    expect(w).toContain('ρ = 2.27');
    expect(w).toContain('up to 100 users wait (closed model, N / (Z + D))');
    expect(w).not.toContain('until rejected');
  });
});

describe('normal() clamping is explicit', () => {
  it('warns with the mass below 0 and the true mean; the capacity check uses it (1 s, sd 2 s → 1.396 s)', () => {
    const file = join(tmp, 'normal.yaml');
    writeFileSync(
      file,
      [
        'name: n',
        'duration: 60s',
        'users:',
        "  arrivals: 'poisson(3/s)'",
        '  journeys:',
        '    req: { steps: [server] }',
        'services:',
        "  server: { workers: 4, time: 'normal(mean: 1s, sd: 2s)' }",
        '',
      ].join('\n'),
    );
    const s = loadScenario(file);
    const w = capacityWarnings(s);
    expect(w[0]).toBe(
      'server: time normal(mean: 1s, sd: 2s) draws 30.9 % below 0, clamped to 0: the simulated mean is 1.396s, not 1s (the capacity check uses 1.396s)',
    );
    // 3/s × 1.3956 s ÷ 4 workers = 1.047: saturated, where the unclamped mean said ρ = 0.75.
    expect(offeredLoad(s)[0].rho).toBeCloseTo((3 * 1.39564) / 4, 3);
  });
});
