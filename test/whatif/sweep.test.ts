import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grid, interpolate, parseVary, pointSeed, splitTopLevel } from '../../cli/sweep-grid.js';
import type { SweepResult } from '../../results/sweep.js';
import { backline, ROOT } from '../cli.js';

describe('sweep grid', () => {
  it('interpolates every number inside an expression over n points', () => {
    expect(parseVary('users.arrivals=poisson(1k/s)..poisson(8k/s):8')).toEqual({
      key: 'users.arrivals',
      values: [1, 2, 3, 4, 5, 6, 7, 8].map((k) => `poisson(${k}k/s)`),
    });
    expect(interpolate('lognormal(median: 2ms, p99: 10ms)', 'lognormal(median: 4ms, p99: 30ms)', 3)).toEqual([
      'lognormal(median: 2ms, p99: 10ms)',
      'lognormal(median: 3ms, p99: 20ms)',
      'lognormal(median: 4ms, p99: 30ms)',
    ]);
    expect(parseVary('x=0.1..0.2:3').values).toEqual(['0.1', '0.15', '0.2']);
  });

  it('lists values split outside parentheses and crosses keys with the first slowest', () => {
    expect(splitTopLevel('exp(1ms),uniform(1ms, 2ms), 3')).toEqual(['exp(1ms)', 'uniform(1ms, 2ms)', '3']);
    const g = grid([parseVary('a=1,2'), parseVary('b=x,y,z')]);
    expect(g).toEqual([
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '1', b: 'z' },
      { a: '2', b: 'x' },
      { a: '2', b: 'y' },
      { a: '2', b: 'z' },
    ]);
  });

  it('derives a point seed from the base seed and the overrides only', () => {
    const s = pointSeed(1, { a: '1', b: 'x' });
    expect(pointSeed(1, { a: '1', b: 'x' })).toBe(s);
    expect(pointSeed(2, { a: '1', b: 'x' })).not.toBe(s);
    expect(pointSeed(1, { a: '2', b: 'x' })).not.toBe(s);
    expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
  });

  it('refuses ranges whose ends are different expressions', () => {
    expect(() => parseVary('a=poisson(1/s)..exp(2s):3')).toThrow(/same expression/);
    expect(() => parseVary('a')).toThrow(/--vary key=v1,v2/);
  });
});

describe('backline sweep', () => {
  const args = (workers: number, out: string) => [
    'sweep',
    join(ROOT, 'test/dashboard/fixtures/mm2.yaml'),
    '--set',
    'duration=1500s',
    '--vary',
    'services.server.workers=2,3',
    '--vary',
    'users.arrivals=poisson(1/s)..poisson(1.5/s):2',
    '--workers',
    String(workers),
    '--json',
    '--out',
    out,
  ];

  it('gives the same numbers on one worker and on two, and writes sweep.json', () => {
    const outA = mkdtempSync(join(tmpdir(), 'backline-sweep-'));
    const outB = mkdtempSync(join(tmpdir(), 'backline-sweep-'));
    const a = backline(args(1, outA));
    const b = backline(args(2, outB));
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const s = JSON.parse(a.stdout) as SweepResult;
    expect(JSON.parse(readFileSync(join(outA, 'sweep.json'), 'utf8'))).toEqual(s);
    expect(s.vary).toEqual([
      { key: 'services.server.workers', values: ['2', '3'] },
      { key: 'users.arrivals', values: ['poisson(1/s)', 'poisson(1.5/s)'] },
    ]);
    expect(s.points.map((p) => p.overrides['users.arrivals'])).toEqual([
      'poisson(1/s)',
      'poisson(1.5/s)',
      'poisson(1/s)',
      'poisson(1.5/s)',
    ]);
    // Distinct seeds per point; utilization follows λ/(c·μ).
    expect(new Set(s.points.map((p) => p.seed)).size).toBe(4);
    const util = s.points.map((p) => p.result.services?.server.utilization ?? 0);
    for (const [i, rho] of [0.5, 0.75, 1 / 3, 0.5].entries()) expect(util[i]).toBeCloseTo(rho, 1);
    expect(b.stderr).toMatch(/4\/4 points/);
  });

  it('exits 2 when the schema refuses a point, before running any', () => {
    const fixture = join(ROOT, 'test/dashboard/fixtures/mm2.yaml');
    const bad = backline(['sweep', fixture, '--vary', 'services.server.workers=2,zero']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/workers/);
  });
});
