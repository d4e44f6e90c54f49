import { describe, expect, it } from 'vitest';
import { Kernel } from './kernel.js';

describe('Kernel', () => {
  it('fires events in time order and advances the clock to each', () => {
    const k = new Kernel(2);
    const seen: [number, number][] = [];
    const h = k.on((arg) => seen.push([k.now, arg]));
    for (const t of [5, 1, 4, 2, 3, 0.5, 9, 7]) k.at(t, h, t * 10);
    k.run();
    expect(seen).toEqual([
      [0.5, 5],
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
      [5, 50],
      [7, 70],
      [9, 90],
    ]);
    expect(k.fired).toBe(8);
  });

  it('fires events at equal times in the order they were scheduled', () => {
    const k = new Kernel(4);
    const order: number[] = [];
    const h = k.on((arg) => order.push(arg));
    for (let i = 0; i < 100; i++) k.at(i % 3, h, i);
    k.run();
    const expected = [0, 1, 2].flatMap((t) =>
      Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 3 === t),
    );
    expect(order).toEqual(expected);
  });

  it('cancel removes a pending event and a stale handle cancels nothing', () => {
    const k = new Kernel();
    const fired: number[] = [];
    const h = k.on((a) => fired.push(a));
    const a = k.schedule(1, h, 1);
    k.schedule(2, h, 2);
    expect(k.cancel(a)).toBe(true);
    expect(k.cancel(a)).toBe(false);
    k.run();
    expect(fired).toEqual([2]);
    // The slot of `a` has been reused; its old handle must not cancel the new event.
    const c = k.schedule(1, h, 3);
    expect(k.cancel(a)).toBe(false);
    k.run();
    expect(fired).toEqual([2, 3]);
    expect(k.cancel(c)).toBe(false);
  });

  it('keeps handles exact past 2^53: generations wrap, so cancel still hits the right event', () => {
    const k = new Kernel(16);
    const fired: number[] = [];
    const h = k.on((a) => fired.push(a));
    // Force the generation a slot reaches after 2^27 - 1 reuses (hundreds of millions of events).
    const gens = (k as unknown as { sGen: Float64Array }).sGen;
    gens.fill(2 ** 27 - 1);
    for (let i = 0; i < 4; i++) k.schedule(1, h, i);
    k.run();
    fired.length = 0;
    // The same four slots again: unwrapped, their handles would be 2^53 + slot and round.
    const handles = [10, 11, 12, 13].map((a) => k.schedule(1, h, a));
    expect(handles.every((x) => Number.isSafeInteger(x))).toBe(true);
    expect(k.cancel(handles[1])).toBe(true);
    expect(k.cancel(handles[3])).toBe(true);
    expect(k.cancel(handles[1])).toBe(false);
    k.run();
    expect(fired.sort()).toEqual([10, 12]);
  });

  it('run(until) stops before later events and leaves the clock at until', () => {
    const k = new Kernel();
    const fired: number[] = [];
    const h = k.on((a) => fired.push(a));
    k.at(1, h, 1);
    k.at(3, h, 3);
    k.run(2);
    expect(fired).toEqual([1]);
    expect(k.now).toBe(2);
    expect(k.peek()).toBe(3);
    k.run(10);
    expect(fired).toEqual([1, 3]);
    expect(k.now).toBe(10);
  });

  it('step fires exactly one event', () => {
    const k = new Kernel();
    const h = k.on(() => {});
    k.at(1, h);
    k.at(2, h);
    expect(k.step()).toBe(true);
    expect(k.now).toBe(1);
    expect(k.step()).toBe(true);
    expect(k.step()).toBe(false);
  });

  it('stop ends run after the current event', () => {
    const k = new Kernel();
    let n = 0;
    const h = k.on(() => {
      n++;
      if (n === 3) k.stop();
      k.schedule(1, h);
    });
    k.at(0, h);
    k.run(100);
    expect(n).toBe(3);
    expect(k.now).toBe(2);
  });

  it('grows past its initial capacity while handlers schedule more', () => {
    const k = new Kernel(2);
    let total = 0;
    const leaf = k.on((a) => (total += a));
    const burst = k.on(() => {
      for (let i = 1; i <= 1000; i++) k.schedule(i / 1000, leaf, i);
    });
    k.at(0, burst);
    k.run();
    expect(total).toBe(500500);
    expect(k.pending).toBe(0);
  });

  it('keeps a heap order under random schedules (1e5 events)', () => {
    const k = new Kernel(8);
    let last = -1;
    let ok = true;
    let x = 12345;
    const h = k.on(() => {
      if (k.now < last) ok = false;
      last = k.now;
    });
    for (let i = 0; i < 100_000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      k.at(x / 2147483648, h);
    }
    k.run();
    expect(ok).toBe(true);
    expect(k.fired).toBe(100_000);
  });

  it('fires near and far timers, equal times and cancellations in (time, schedule) order', () => {
    // Events scheduled from handlers at delays from 1 ms to 500 s (equal times included) cross the
    // near/far horizon many times; the firing order must be exactly a sort by (time, scheduling order).
    const k = new Kernel(8);
    let x = 7;
    const rnd = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 4294967296;
    };
    const scheduled: [number, number][] = [];
    const fired: number[] = [];
    const cancelled = new Set<number>();
    let id = 0;
    const h = k.on((arg) => {
      fired.push(arg);
      for (let j = 0; j < 2 && id < 20_000; j++) {
        const u = rnd();
        const delay =
          u < 0.2
            ? 0
            : u < 0.6
              ? 0.001 * Math.ceil(rnd() * 5)
              : u < 0.9
                ? rnd() * 3
                : 100 + Math.floor(rnd() * 400);
        const n = id++;
        scheduled.push([k.now + delay, n]);
        const handle = k.schedule(delay, h, n);
        if (rnd() < 0.05 && k.cancel(handle)) cancelled.add(n);
      }
    });
    for (let i = 0; i < 50; i++) {
      const n = id++;
      scheduled.push([i * 10, n]);
      k.at(i * 10, h, n);
    }
    for (let t = 100; k.pending > 0; t += 100) k.run(t);
    const expected = scheduled
      .filter(([, n]) => !cancelled.has(n))
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, n]) => n);
    expect(fired.length).toBe(expected.length);
    expect(fired).toEqual(expected);
  });
});
