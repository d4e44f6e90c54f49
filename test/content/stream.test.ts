import { describe, expect, it } from 'vitest';
import { EventStream } from '../../sim/content/stream.js';
import { Kernel } from '../../sim/kernel/kernel.js';
import { RandomStreams } from '../../sim/kernel/random.js';

const streams = new RandomStreams(5);
const rng = (name: string) => streams.stream(name);

/** Produces at `rate` per second from `from` to `to`, keys 0, 1, 2… */
function producer(kernel: Kernel, s: EventStream, rate: number, from: number, to: number): void {
  let key = 0;
  const h = kernel.on(() => {
    s.produce(key++);
    if (kernel.now + 1 / rate < to) kernel.schedule(1 / rate, h);
  });
  kernel.at(from, h);
}

describe('event stream lag', () => {
  it('grows linearly at produce − consume rate while overloaded, then drains', () => {
    const kernel = new Kernel();
    // 4 instances × 100 msg/s = 400/s of capacity; 600/s produced for 60 s → lag grows 200/s.
    const s = new EventStream(
      kernel,
      'plays',
      {
        partitions: 8,
        key: 'random',
        consume: { instances: 4, time: { kind: 'const', value: 0.01 } },
        rebalance: 5,
      },
      rng,
    );
    producer(kernel, s, 600, 0, 60);
    producer(kernel, s, 100, 60, 200);
    kernel.run(200);
    const lag = s.lagSamples(); // one sample per second, at t = 1, 2, …
    const at = (t: number) => lag[t - 1];
    // Linear growth: equal increments over equal intervals, slope ≈ 200/s.
    const slope1 = (at(30) - at(10)) / 20;
    const slope2 = (at(55) - at(35)) / 20;
    expect(slope1).toBeGreaterThan(180);
    expect(slope1).toBeLessThan(220);
    expect(Math.abs(slope1 - slope2)).toBeLessThan(10);
    expect(at(60)).toBeGreaterThan(11_000);
    // Afterwards 100/s in, 400/s out: drains at ≈ 300/s, so ~12 000 messages are gone after ~40 s.
    const drain = (at(70) - at(90)) / 20;
    expect(drain).toBeGreaterThan(270);
    expect(drain).toBeLessThan(330);
    expect(at(150)).toBeLessThan(5);
    const r = s.result();
    expect(Math.abs(r.produced - 50_000)).toBeLessThanOrEqual(2); // 60 s × 600/s + 140 s × 100/s
    expect(r.lagMessages.max).toBeGreaterThan(11_000);
    expect(r.lagSeconds.max).toBeGreaterThan(20);
  });

  it('a consumer crash pauses the group for the rebalance, then the survivors catch up', () => {
    const kernel = new Kernel();
    const s = new EventStream(
      kernel,
      'plays',
      {
        partitions: 4,
        key: 'user',
        consume: { instances: 2, time: { kind: 'const', value: 0.01 } },
        rebalance: 5,
      },
      rng,
    );
    producer(kernel, s, 50, 0, 100);
    const crash = kernel.on(() => s.crash(1));
    kernel.at(20, crash);
    kernel.run(100);
    const lag = s.lagSamples();
    expect(lag[18]).toBeLessThan(3); // t=19: keeping up
    expect(lag[23]).toBeGreaterThan(200); // t=24: 4 s into the pause, ~50/s piling up
    expect(lag[40]).toBeLessThan(3); // one instance (100/s) drained the backlog
    expect(s.result().consumed).toBeGreaterThan(4990);
  });
});
