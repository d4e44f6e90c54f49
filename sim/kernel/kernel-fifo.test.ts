import { describe, expect, it } from 'vitest';
import { Kernel } from './kernel.js';
import { RandomStreams } from './random.js';

/**
 * Drives a kernel with a seeded mix of events: each fired event schedules up to two more, some at
 * the fixed delays 0.5 and 0 (through FIFO lanes when `lanes` is set, else through `schedule`),
 * some at random or equal times, and cancels a few. Returns (time, arg) of every event fired.
 */
function trace(lanes: boolean): number[] {
  const k = new Kernel(8);
  const rng = new RandomStreams(3).stream('kernel-fifo');
  const out: number[] = [];
  const handles: number[] = [];
  let next = 0;
  const half = lanes ? k.fifo(0.5) : -1;
  const none = lanes ? k.fifo(0) : -1;
  const h = k.on((arg) => {
    out.push(k.now, arg);
    if (next > 20_000) return;
    for (let i = 0; i < 2; i++) {
      const u = rng();
      const a = next++;
      let handle: number;
      if (u < 0.35) handle = lanes ? k.inFifo(half, h, a) : k.schedule(0.5, h, a);
      else if (u < 0.45) handle = lanes ? k.inFifo(none, h, a) : k.schedule(0, h, a);
      else if (u < 0.6) handle = k.at(Math.ceil(k.now), h, a);
      else if (u < 0.95) handle = k.schedule(rng() * 2, h, a);
      else continue;
      handles.push(handle);
    }
    if (rng() < 0.1 && handles.length > 0) k.cancel(handles[Math.floor(rng() * handles.length)]);
  });
  for (let i = 0; i < 50; i++) k.at(i * 0.1, h, next++);
  k.run(300);
  expect(k.pending).toBe(0);
  return out;
}

describe('Kernel FIFO lanes', () => {
  it('fire events in exactly the order schedule would, cancellations included', () => {
    const viaLanes = trace(true);
    expect(viaLanes.length).toBeGreaterThan(20_000);
    expect(viaLanes).toEqual(trace(false));
  });

  it('share one lane per delay and keep events past run(until) pending', () => {
    const k = new Kernel(2);
    expect(k.fifo(0.25)).toBe(k.fifo(0.25));
    expect(k.fifo(0.5)).not.toBe(k.fifo(0.25));
    const seen: number[] = [];
    const h = k.on((a) => seen.push(a));
    const lane = k.fifo(0.25);
    for (let i = 0; i < 200; i++) k.inFifo(lane, h, i);
    k.at(0.1, h, -1);
    expect(k.pending).toBe(201);
    expect(k.peek()).toBe(0.1);
    k.run(0.2);
    expect(seen).toEqual([-1]);
    expect(k.peek()).toBe(0.25);
    expect(k.step()).toBe(true);
    k.run();
    expect(seen).toEqual([-1, ...Array.from({ length: 200 }, (_, i) => i)]);
    expect(k.fired).toBe(201);
  });

  it('reject a delay that is negative, infinite or NaN', () => {
    const k = new Kernel();
    for (const d of [-1, Number.POSITIVE_INFINITY, Number.NaN]) expect(() => k.fifo(d)).toThrow(RangeError);
  });
});
