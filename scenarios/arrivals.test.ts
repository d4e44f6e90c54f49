import { describe, expect, it } from 'vitest';
import { parseArrivals, peakRate } from './arrivals.js';

describe('parseArrivals', () => {
  it('reads poisson rates per second', () => {
    expect(parseArrivals('poisson(3.2/s)')).toEqual({ kind: 'poisson', rate: 3.2 });
    expect(parseArrivals('poisson(3k/s)')).toEqual({ kind: 'poisson', rate: 3000 });
    expect(parseArrivals('poisson(rate: 120/min)')).toEqual({ kind: 'poisson', rate: 2 });
  });

  it('requires a positive rate', () => {
    expect(() => parseArrivals('poisson(0/s)')).toThrow('bad arrivals `poisson(0/s)`: rate must be positive');
    expect(() => parseArrivals('poisson(-3/s)')).toThrow(
      'bad arrivals `poisson(-3/s)`: rate must be positive',
    );
  });

  it('explains unknown processes and malformed text', () => {
    expect(() => parseArrivals('poison(3/s)')).toThrow(
      'unknown arrival process `poison`; did you mean `poisson`?',
    );
    expect(() => parseArrivals('3/s')).toThrow('bad arrivals `3/s`: expected a process like `poisson(3k/s)`');
    expect(() => parseArrivals('poisson(3)')).toThrow('bad rate `3`: missing unit, e.g. `3/s`');
    expect(() => parseArrivals('poisson(1/s, 2/s)')).toThrow(
      'bad arrivals `poisson(1/s, 2/s)`: expected `poisson(rate)`, e.g. `poisson(3k/s)`',
    );
  });
});

describe('parseArrivals: time-varying and closed processes', () => {
  it('reads ramps written as prose or with named arguments', () => {
    expect(parseArrivals('ramp(0 -> 5k/s over 2m)')).toEqual({ kind: 'ramp', from: 0, to: 5000, over: 120 });
    expect(parseArrivals('ramp(1k -> 2k/s over 30s)')).toEqual({
      kind: 'ramp',
      from: 1000,
      to: 2000,
      over: 30,
    });
    expect(parseArrivals('ramp(from: 10/s, to: 0, over: 1m)')).toEqual({
      kind: 'ramp',
      from: 10,
      to: 0,
      over: 60,
    });
  });

  it('reads diurnal waves with a default period of a day', () => {
    expect(parseArrivals('diurnal(mean: 3k/s, amplitude: 50%, period: 24h)')).toEqual({
      kind: 'diurnal',
      mean: 3000,
      amplitude: 0.5,
      period: 86_400,
    });
    expect(parseArrivals('diurnal(mean: 10/s, amplitude: 20%)')).toMatchObject({ period: 86_400 });
  });

  it('reads spikes and closed populations', () => {
    expect(parseArrivals('spike(base: 1k/s, peak: 5k/s, at: 2m, for: 30s)')).toEqual({
      kind: 'spike',
      base: 1000,
      peak: 5000,
      at: 120,
      for: 30,
    });
    expect(parseArrivals('closed(users: 500, think: exp(5s))')).toEqual({
      kind: 'closed',
      users: 500,
      think: { kind: 'exp', mean: 5 },
    });
  });

  it('keeps a replay file as written (the loader resolves it)', () => {
    expect(parseArrivals('replay(data/times.csv)')).toEqual({ kind: 'replay', file: 'data/times.csv' });
    expect(parseArrivals("replay('a b.csv')")).toEqual({ kind: 'replay', file: 'a b.csv' });
  });

  it('explains what is wrong with each', () => {
    expect(() => parseArrivals('ramp(0 -> 5k/s)')).toThrow(
      'bad arrivals `ramp(0 -> 5k/s)`: expected `ramp(0 -> 5k/s over 2m)`',
    );
    expect(() => parseArrivals('ramp(0 to 5k/s over 2m)')).toThrow(
      'bad ramp `0 to 5k/s`: expected `from -> to`, e.g. `0 -> 5k/s`',
    );
    expect(() => parseArrivals('diurnal(mean: 3k/s, amplitud: 50%)')).toThrow(
      'bad arrivals `diurnal(mean: 3k/s, amplitud: 50%)`: unknown argument `amplitud`; did you mean `amplitude`?; expected `diurnal(mean: 3k/s, amplitude: 50%, period: 24h)`',
    );
    expect(() => parseArrivals('spike(base: 1k/s, peak: 5k/s, at: 2m)')).toThrow(
      'bad arrivals `spike(base: 1k/s, peak: 5k/s, at: 2m)`: missing `for`; expected `spike(base: 1k/s, peak: 5k/s, at: 2m, for: 30s)`',
    );
    expect(() => parseArrivals('closed(users: 1.5, think: exp(5s))')).toThrow(
      'users must be a whole number ≥ 1',
    );
    expect(() => parseArrivals('closed(500, exp(5s))')).toThrow(
      'use named arguments: `closed(users: 500, think: exp(5s))`',
    );
    expect(() => parseArrivals('rampp(0 -> 1/s over 1s)')).toThrow(
      'unknown arrival process `rampp`; did you mean `ramp`?',
    );
  });
});

describe('peakRate', () => {
  it('is the highest sustained rate of each process', () => {
    expect(peakRate(parseArrivals('poisson(3/s)'))).toBe(3);
    expect(peakRate(parseArrivals('ramp(0 -> 5k/s over 2m)'))).toBe(5000);
    expect(peakRate(parseArrivals('diurnal(mean: 3k/s, amplitude: 50%)'))).toBe(4500);
    expect(peakRate(parseArrivals('spike(base: 1k/s, peak: 5k/s, at: 2m, for: 30s)'))).toBe(5000);
    expect(peakRate(parseArrivals('closed(users: 500, think: exp(5s))'))).toBe(100);
    expect(peakRate(parseArrivals('replay(x.csv)'))).toBeUndefined();
  });
});
