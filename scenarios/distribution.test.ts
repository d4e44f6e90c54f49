import { describe, expect, it } from 'vitest';
import { parseDist } from './distribution.js';
import { ValueError } from './value-error.js';

const d = (text: string) => parseDist(text, { unit: 'duration' });

describe('parseDist', () => {
  it('parses each kind with durations in seconds', () => {
    expect(d('const(5ms)')).toEqual({ kind: 'const', value: 0.005 });
    expect(d('uniform(1ms, 3ms)')).toEqual({ kind: 'uniform', min: 0.001, max: 0.003 });
    expect(d('exp(1s)')).toEqual({ kind: 'exp', mean: 1 });
    expect(d('normal(10ms, 2ms)')).toEqual({ kind: 'normal', mean: 0.01, sd: 0.002 });
    expect(d('lognormal(mu: -6.2, sigma: 0.5)')).toEqual({ kind: 'lognormal', mu: -6.2, sigma: 0.5 });
    expect(d('gamma(shape: 2, scale: 5ms)')).toEqual({ kind: 'gamma', shape: 2, scale: 0.005 });
    expect(d('gamma(2, 5ms)')).toEqual({ kind: 'gamma', shape: 2, scale: 0.005 });
    expect(d('weibull(shape: 1.5, scale: 2s)')).toEqual({ kind: 'weibull', shape: 1.5, scale: 2 });
    expect(d('pareto(scale: 1ms, shape: 2.5)')).toEqual({ kind: 'pareto', scale: 0.001, shape: 2.5 });
    expect(d('empirical([1ms, 2ms, 5ms])')).toEqual({ kind: 'empirical', values: [0.001, 0.002, 0.005] });
  });

  it('turns lognormal median and p99 into mu and sigma', () => {
    const spec = d('lognormal(median: 2ms, p99: 12ms)');
    expect(spec.kind).toBe('lognormal');
    if (spec.kind !== 'lognormal') return;
    expect(spec.mu).toBeCloseTo(-6.214608098422191, 14);
    expect(spec.sigma).toBeCloseTo(0.7702027238582284, 14);
    expect(spec.mu).toBe(Math.log(0.002));
    expect(spec.sigma).toBe((Math.log(0.012) - Math.log(0.002)) / 2.3263478740408408);
  });

  it('turns gamma mean and cv into shape and scale', () => {
    expect(d('gamma(mean: 10ms, cv: 0.5)')).toEqual({ kind: 'gamma', shape: 4, scale: 0.0025 });
  });

  it('reads zipf with n from context (0) or given', () => {
    const c = (t: string) => parseDist(t, { unit: 'count' });
    expect(c('zipf(1.1)')).toEqual({ kind: 'zipf', s: 1.1, n: 0 });
    expect(c('zipf(1.0, 10M)')).toEqual({ kind: 'zipf', s: 1, n: 10_000_000 });
  });

  it('reads sizes in bytes and a bare value as const', () => {
    expect(parseDist('lognormal(median: 4MB, p99: 12MB)', { unit: 'size' })).toEqual({
      kind: 'lognormal',
      mu: Math.log(4e6),
      sigma: (Math.log(12e6) - Math.log(4e6)) / 2.3263478740408408,
    });
    expect(d('3ms')).toEqual({ kind: 'const', value: 0.003 });
  });

  it('suggests the closest name for an unknown distribution', () => {
    expect(() => d('expo(1ms)')).toThrow(new ValueError('unknown distribution `expo`; did you mean `exp`?'));
    expect(() => d('lognorm(median: 1ms, p99: 2ms)')).toThrow(
      'unknown distribution `lognorm`; did you mean `lognormal`?',
    );
    expect(() => d('beta(1, 2)')).toThrow(
      'unknown distribution `beta`; expected one of `const`, `uniform`, `exp`, `normal`, `lognormal`, `gamma`, `weibull`, `pareto`, `zipf`, `empirical`',
    );
  });

  it('reports a wrong argument count', () => {
    expect(() => d('exp(1ms, 2ms)')).toThrow(
      'bad distribution `exp(1ms, 2ms)`: expected `exp(mean)`, got 2 arguments',
    );
    expect(() => d('uniform(1ms)')).toThrow(
      'bad distribution `uniform(1ms)`: expected `uniform(min, max)`, got 1 argument',
    );
    expect(() => d('lognormal(2ms, 12ms)')).toThrow(
      'bad distribution `lognormal(2ms, 12ms)`: lognormal needs named arguments: `lognormal(median: …, p99: …)` or `lognormal(mu: …, sigma: …)`',
    );
  });

  it('suggests argument names', () => {
    expect(() => d('lognormal(media: 2ms, p99: 12ms)')).toThrow(
      'bad distribution `lognormal(media: 2ms, p99: 12ms)`: unknown argument `media`; did you mean `median`?; expected `lognormal(median: …, p99: …)` or `lognormal(mu: …, sigma: …)`',
    );
  });

  it('reports bad units inside arguments', () => {
    expect(() => d('exp(1)')).toThrow('bad duration `1`: missing unit, e.g. `1s`');
    expect(() => d('exp(1 parsec)')).toThrow(
      'bad duration `1 parsec`: expected a number and a unit (us, ms, s, m, h)',
    );
  });

  it('refuses non-positive parameters where they must be positive', () => {
    expect(() => d('exp(0s)')).toThrow('bad distribution `exp(0s)`: mean must be positive');
    expect(() => d('normal(1ms, 0ms)')).toThrow('bad distribution `normal(1ms, 0ms)`: sd must be positive');
    expect(() => d('gamma(shape: -1, scale: 1ms)')).toThrow(
      'bad distribution `gamma(shape: -1, scale: 1ms)`: shape must be positive',
    );
    expect(() => d('lognormal(median: 2ms, p99: 2ms)')).toThrow(
      'bad distribution `lognormal(median: 2ms, p99: 2ms)`: p99 must exceed median',
    );
    expect(() => d('zipf(0)')).toThrow('bad distribution `zipf(0)`: s must be positive');
    expect(() => d('uniform(3ms, 1ms)')).toThrow(
      'bad distribution `uniform(3ms, 1ms)`: min must not exceed max',
    );
  });

  it('refuses malformed calls', () => {
    expect(() => d('exp')).toThrow('bad distribution `exp`: expected arguments, e.g. `exp(mean)`');
    expect(() => d('exp(1ms')).toThrow(ValueError);
    expect(() => d('empirical([])')).toThrow('bad distribution `empirical([])`: needs at least one value');
    expect(() => d('empirical(1ms)')).toThrow(
      'bad distribution `empirical(1ms)`: values must be a list like `[1ms, 2ms]`',
    );
    expect(() => d('exp(mean: 1ms, 2ms)')).toThrow(
      'bad distribution `exp(mean: 1ms, 2ms)`: use either positional or named arguments, not both',
    );
  });
});
