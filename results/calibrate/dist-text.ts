/**
 * A distribution written back as scenario text (`exp(1.5ms)`, `lognormal(median: 2ms, p99: 12ms)`),
 * times in milliseconds with 4 significant digits: what `--out` and `--sets` put in a scenario.
 */
import type { DistSpec } from '../../math/dist-spec.js';
import { Z99 } from './fit.js';

/** Seconds as milliseconds with 4 significant digits. */
export function ms(seconds: number): string {
  return `${Number((seconds * 1e3).toPrecision(4))}ms`;
}

const plain = (x: number): string => String(Number(x.toPrecision(6)));

/** The scenario text of a time distribution (`zipf` gives ranks, not times, and is refused). */
export function specText(d: DistSpec): string {
  switch (d.kind) {
    case 'const':
      return `const(${ms(d.value)})`;
    case 'uniform':
      return `uniform(min: ${ms(d.min)}, max: ${ms(d.max)})`;
    case 'exp':
      return `exp(${ms(d.mean)})`;
    case 'normal':
      return `normal(mean: ${ms(d.mean)}, sd: ${ms(d.sd)})`;
    case 'lognormal':
      return `lognormal(median: ${ms(Math.exp(d.mu))}, p99: ${ms(Math.exp(d.mu + Z99 * d.sigma))})`;
    case 'gamma':
      return `gamma(shape: ${plain(d.shape)}, scale: ${ms(d.scale)})`;
    case 'weibull':
      return `weibull(shape: ${plain(d.shape)}, scale: ${ms(d.scale)})`;
    case 'pareto':
      return `pareto(scale: ${ms(d.scale)}, shape: ${plain(d.shape)})`;
    case 'empirical':
      return `empirical([${d.values.map(ms).join(', ')}])`;
    default:
      throw new Error(`${d.kind} is not a time distribution`);
  }
}
