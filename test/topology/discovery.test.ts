/**
 * Service discovery in the simulation (`sim/resilience/discovery.ts`): after a replica crashes,
 * callers keep sending to it (`stale_endpoint`) until the registry's next health check and the
 * callers' next refresh after it; a recovered replica takes calls only once listed again. Measured on
 * the `discovery-lag` catalog scenario (crash of 1 of 4 catalog replicas at 60 s), run at 100 journeys/s
 * (25 calls/s reach each replica) to keep the test quick, over independent replications.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ci95, meanVar } from '../../results/confidence.js';
import { catalogDir } from '../../scenarios/catalog.js';
import { loadScenario, parseScenario } from '../../scenarios/load.js';
import { advance, build } from '../../sim/build.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { Registry, unlistedAt } from '../../sim/resilience/discovery.js';
import { runReplication, simulateSync } from '../../sim/run.js';
import { backline } from '../cli.js';

const CRASH = 60;
/** Calls per second reaching one catalog replica (100 journeys/s over 4 replicas, round-robin). */
const PER_REPLICA = 25;
const LIGHT = 'users.arrivals=poisson(100/s)';

/** The registry phases replication `rep` of seed `seed` draws for `service`. */
function phasesOf(seed: number, rep: number, spec: { interval: number; ttl: number }, service = 'catalog') {
  return new Registry(spec, [], () => true, new RandomStreams(seed, rep).stream(`discovery:${service}`));
}

/** Bursts of the catalog service, per replication, with the end the registry's phases predict. */
function bursts(sets: string[], reps: number) {
  const s = loadScenario('discovery-lag', ['duration=85s', LIGHT, ...sets]);
  const spec = s.services.catalog.discovery!;
  return Array.from({ length: reps }, (_, rep) => {
    const out = runReplication(s, s.seed, rep);
    const cat = out.services.find((x) => x.name === 'catalog')!;
    return { bursts: cat.staleBursts ?? [], end: unlistedAt(phasesOf(s.seed, rep, spec), CRASH), spec };
  });
}

describe('service discovery (simulation)', () => {
  it('a crashed replica gets calls until the next check and the refresh after it: ≤ interval + ttl, (interval + ttl)/2 on average', () => {
    const runs = bursts([], 40);
    const lengths: number[] = [];
    for (const { bursts: b, end, spec } of runs) {
      expect(b).toHaveLength(1);
      const [{ from, to, errors }] = b;
      // Starts at the crash (the next call to that replica, ~40 ms apart) and ends at the refresh that drops it.
      expect(from - CRASH).toBeGreaterThanOrEqual(0);
      expect(from - CRASH).toBeLessThan(0.4);
      expect(to).toBeLessThanOrEqual(end);
      expect(end - to).toBeLessThan(0.4);
      expect(to - from).toBeLessThanOrEqual(spec.interval + spec.ttl);
      // Every 4th call for the burst's length (Poisson: within 4 standard deviations).
      const expected = PER_REPLICA * (to - from);
      expect(Math.abs(errors - expected)).toBeLessThan(4 * Math.sqrt(expected) + 2);
      lengths.push(to - from);
    }
    const [lo, hi] = ci95(lengths)!;
    const { mean } = meanVar(lengths);
    console.log(
      `discovery-lag, 40 replications: burst mean ${mean.toFixed(2)} s, 95 % CI [${lo.toFixed(2)}, ${hi.toFixed(2)}], max ${Math.max(...lengths).toFixed(2)} s`,
    );
    // 5 s checks, 15 s TTL: mean 10 s (both phases uniform), at most 20 s.
    expect(lo).toBeLessThanOrEqual(10);
    expect(hi).toBeGreaterThanOrEqual(10);
    expect(Math.abs(mean - 10)).toBeLessThan(1.5);
    expect(Math.max(...lengths)).toBeGreaterThan(15);
  });

  it('the burst follows the TTL: with ttl 0 it is at most one check interval, with ttl 40 s it averages 22.5 s', () => {
    const none = bursts(['services.catalog.discovery.ttl=0s'], 20).map(
      (r) => r.bursts[0].to - r.bursts[0].from,
    );
    expect(Math.max(...none)).toBeLessThanOrEqual(5);
    expect(Math.abs(meanVar(none).mean - 2.5)).toBeLessThan(0.8);
    const long = bursts(['services.catalog.discovery.ttl=40s', 'duration=110s'], 20).map(
      (r) => r.bursts[0].to - r.bursts[0].from,
    );
    const [lo, hi] = ci95(long)!;
    console.log(
      `ttl 0: mean ${meanVar(none).mean.toFixed(2)} s, max ${Math.max(...none).toFixed(2)}; ttl 40 s: mean ${meanVar(long).mean.toFixed(2)} s, CI [${lo.toFixed(2)}, ${hi.toFixed(2)}]`,
    );
    expect(lo).toBeLessThanOrEqual(22.5);
    expect(hi).toBeGreaterThanOrEqual(22.5);
    expect(Math.max(...long)).toBeLessThanOrEqual(45);
  });

  it('a recovered replica takes calls only once a check registered it and a refresh listed it', () => {
    const s = loadScenario('discovery-lag');
    const model = build(s, s.seed, 0);
    const topo = model.topology!;
    const catalog = topo.serviceNames.indexOf('catalog');
    let r = 0;
    while (topo.pool.service[r] !== catalog) r++; // the crash takes the first catalog replica
    const listed = unlistedAt(phasesOf(s.seed, 0, s.services.catalog.discovery!), 120);
    advance(model, 120.001);
    const atRecovery = topo.pool.served[r];
    advance(model, listed - 0.001);
    expect(topo.pool.served[r]).toBe(atRecovery);
    advance(model, listed + 1);
    expect(topo.pool.served[r] - atRecovery).toBeGreaterThan(50);
    expect(listed - 120).toBeLessThanOrEqual(20);
    expect(listed - 120).toBeGreaterThan(0.5); // otherwise the check above proves little
  });

  it('without discovery the same crash costs crash errors only for calls in flight, and no bursts are reported', () => {
    const text = readFileSync(`${catalogDir()}/discovery-lag.yaml`, 'utf8');
    const plain = parseScenario(text.replace(/^ {4}discovery: .*$/m, ''), 'plain.yaml', [
      'duration=85s',
      LIGHT,
    ]);
    expect(plain.services.catalog.discovery).toBeUndefined();
    const without = simulateSync(plain);
    expect(without.journeys.browse.errors.stale_endpoint).toBeUndefined();
    expect(without.journeys.browse.errors.crash ?? 0).toBeLessThan(10);
    expect(without.services?.catalog.staleBursts).toBeUndefined();
    const withIt = simulateSync(loadScenario('discovery-lag', ['duration=85s', LIGHT]));
    expect(withIt.journeys.browse.errors.stale_endpoint).toBeGreaterThan(50);
    expect(withIt.services?.catalog.staleBursts).toHaveLength(1);
  });

  it('discovery: {} takes the documented defaults (10 s checks, 30 s TTL); a negative ttl is refused at its position', () => {
    const s = loadScenario('discovery-lag', ['services.catalog.discovery={}']);
    expect(s.services.catalog.discovery).toEqual({ interval: 10, ttl: 30 });
    expect(() => loadScenario('discovery-lag', ['services.catalog.discovery.ttl=-1s'])).toThrow(
      /ttl|negative|duration/,
    );
    expect(() => loadScenario('discovery-lag', ['services.catalog.discovery.interval=0s'])).toThrow(
      /interval.*positive/,
    );
  });
});

describe('service discovery in the summary', () => {
  it('`backline sim discovery-lag` prints the stale-endpoint burst: when, how long, how many calls', () => {
    const r = backline(['sim', 'discovery-lag', '--no-history']);
    expect(r.code).toBe(0);
    // Seed 11: the crash at 60 s is noticed by the check and the refresh after it 6.4 s later (of
    // at most interval + ttl = 20 s); every 4th call in between was refused.
    expect(r.stdout).toMatch(/^stale endpoints\s+from s\s+to s\s+length s\s+calls refused$/m);
    expect(r.stdout).toMatch(/^catalog\s+60\.0\s+66\.4\s+6\.4\s+624$/m);
  });
});
