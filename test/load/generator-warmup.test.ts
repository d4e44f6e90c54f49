/**
 * The generator's lateness is judged after the same warm-up the service's latency leaves out:
 * connections opening and the JIT compiling the hot path make the first requests late, and that
 * alone must neither end a run with exit 3 nor decide a benchmark probe.
 */
import { describe, expect, it } from 'vitest';
import { GeneratorMonitor, generatorResult } from '../../loadtests/autocannon/generator.js';

/** 60 requests 50 ms late in the first 0.6 s, then 940 on time (0.2 ms) up to 10 s. */
function feed(m: GeneratorMonitor): void {
  for (let i = 0; i < 60; i++) m.dispatched(0.05, i * 0.01);
  for (let i = 0; i < 940; i++) m.dispatched(0.0002, 1 + i * 0.01);
  m.stop();
}

describe('generator monitor warm-up', () => {
  it('leaves warm-up lateness out of lag and late share, but still counts those requests as intended', () => {
    const m = new GeneratorMonitor(1);
    feed(m);
    const g = generatorResult([m.state()], { seconds: 1, wallSeconds: 10 });
    expect(g.intended).toBe(1000);
    expect(g.sent).toBe(1000);
    expect(g.lateShare).toBe(0);
    expect(g.lag.max).toBeLessThan(1);
    expect(g.behind).toBeUndefined();
    expect(m.live().lateShare).toBe(0);
  });

  it('without a warm-up the same requests are 6 % late and the generator is behind', () => {
    const m = new GeneratorMonitor(0);
    feed(m);
    const g = generatorResult([m.state()], { seconds: 1, wallSeconds: 10 });
    expect(g.lateShare).toBe(0.06);
    expect(g.lag.max).toBeGreaterThanOrEqual(50);
    expect(g.behind).toMatch(/6 % of requests started more than 10 ms late/);
  });
});
