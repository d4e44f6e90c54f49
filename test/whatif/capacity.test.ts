import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateCapacity, mmcResponseQuantile, predictMetric } from '../../cli/capacity-estimate.js';
import { formatCapacity } from '../../cli/capacity-format.js';
import { findCapacity, parseBudget } from '../../cli/commands/capacity.js';
import { loadScenario } from '../../scenarios/load.js';
import { mmcResponse } from '../../sim/analytic.js';
import { backline, ROOT } from '../cli.js';

const MM1 = join(ROOT, 'test/whatif/fixtures/mm1.yaml');

describe('analytic capacity estimate', () => {
  it('solves M/M/1 exactly: mean W = 1/(μ−λ) and p99 = ln(100)/(μ−λ)', () => {
    const s = loadScenario(MM1);
    const mean = estimateCapacity(s, parseBudget('req.mean < 5000ms', s));
    expect(mean.rate).toBeCloseTo(0.8, 6);
    expect(mean.saturation).toBeCloseTo(1, 9);
    expect(mean.bottleneck).toBe('server');
    const limit = (Math.log(100) / 0.2) * 1000;
    const p99 = estimateCapacity(s, parseBudget(`req.p99 < ${limit}ms`, s));
    expect(p99.rate).toBeCloseTo(0.8, 4);
  });

  it('matches Erlang-C for M/M/c and the utilization law', () => {
    const s = loadScenario(MM1, ['services.server.workers=4']);
    expect(predictMetric(s, parseBudget('req.mean < 1s', s), 3.2)).toBeCloseTo(
      mmcResponse(4, 3.2, 1) * 1000,
      6,
    );
    expect(predictMetric(s, parseBudget('server.utilization < 50%', s), 3)).toBeCloseTo(0.75, 12);
    expect(estimateCapacity(s, parseBudget('server.utilization < 50%', s)).rate).toBeCloseTo(2, 6);
    // The median of M/M/c response exceeds 0 and sits below its mean for c = 4 at ρ = 0.8.
    const median = mmcResponseQuantile(4, 3.2, 1, 0.5);
    expect(median).toBeGreaterThan(0.5);
    expect(median).toBeLessThan(mmcResponse(4, 3.2, 1));
  });
});

describe('simulated capacity search', () => {
  it('finds λ ≈ 0.8/s for M/M/1 under `req.mean < 5000ms`, within 4 %', async () => {
    const c = await findCapacity(MM1, { budgets: ['req.mean < 5000ms'], workers: 1 });
    expect(c.rate).toBeDefined();
    expect(Math.abs((c.rate ?? 0) - 0.8) / 0.8).toBeLessThan(0.04);
    const [lo, hi] = c.interval;
    expect(lo).toBe(c.rate);
    expect((hi - lo) / lo).toBeLessThanOrEqual(0.02);
    // Every probe below the answer passed, every probe above it failed.
    for (const p of c.probes) expect(p.pass).toBe(p.rate <= lo);
    expect(c.analytic[0].rate).toBeCloseTo(0.8, 6);
  });

  it('reports no rate when even a trickle breaks the budget', async () => {
    const c = await findCapacity(MM1, { budgets: ['req.mean < 100ms'], maxRuns: 6, workers: 1 });
    expect(c.rate).toBeUndefined();
    expect(c.probes.every((p) => !p.pass)).toBe(true);
  });

  it('probes several rates per round on worker threads and answers exactly as one thread does', () => {
    const args = [
      'capacity',
      MM1,
      '--budget',
      'req.mean < 5000ms',
      '--set',
      'duration=3000s',
      '--set',
      'warmup=300s',
      '--replications',
      '2',
      '--per-round',
      '3',
      '--max-runs',
      '6',
      '--json',
    ];
    const serial = backline([...args, '--workers', '1']);
    const parallel = backline([...args, '--workers', '3']);
    expect(serial.code).toBe(0);
    expect(parallel.code).toBe(0);
    expect(parallel.stdout).toBe(serial.stdout);
    const c = JSON.parse(serial.stdout);
    // Two rounds of three rates, then the answer judged over three seeds.
    expect(c.probes).toHaveLength(6);
    expect(c.perRound).toBe(3);
    expect(c.confidence.seeds).toHaveLength(3);
    expect(c.confidence.rate).toBe(c.rate);
    expect(c.confidence.budgets[0].values[0]).toBe(
      c.probes.find((p: { rate: number }) => p.rate === c.rate).values[0],
    );
    expect(Math.abs(c.rate - 0.8) / 0.8).toBeLessThan(0.1);
  });

  it('--quick runs a quarter of the duration with one replication and says how sure the answer is', async () => {
    const c = await findCapacity(MM1, { budgets: ['req.mean < 5000ms'], quick: true, workers: 1 });
    expect(c.duration).toBe(10000);
    expect(c.replications).toBe(1);
    expect(c.probes.length).toBeLessThanOrEqual(8);
    const [lo, hi] = c.interval;
    expect(lo).toBe(c.rate);
    expect((hi - lo) / lo).toBeLessThanOrEqual(0.05);
    const k = c.confidence;
    expect(k?.seeds).toHaveLength(3);
    const b = k?.budgets[0];
    expect(b?.values).toHaveLength(3);
    expect(b?.ci?.[0]).toBeLessThan(b?.mean ?? 0);
    expect(['met', 'unsure', 'missed']).toContain(b?.verdict);
    const text = formatCapacity(c);
    expect(text).toMatch(/at 0\.\d+\/s over 3 independent seeds/);
    expect(text).toMatch(/95 % interval/);
  });

  it('refuses budgets it cannot read', () => {
    const s = loadScenario(MM1);
    expect(() => parseBudget('req.p99 400ms', s)).toThrow(/expected/);
    expect(() => parseBudget('nope.p99 < 400ms', s)).toThrow(/not a journey/);
  });
});
