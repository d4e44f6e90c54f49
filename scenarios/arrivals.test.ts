import { describe, expect, it } from 'vitest';
import { parseArrivals } from './arrivals.js';

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
