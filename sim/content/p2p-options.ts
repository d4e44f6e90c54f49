/**
 * What the hybrid P2P model reads: the scenario's `p2p` section (every knob, with the schema's
 * defaults) and the size of the simulated sample against the population it stands for.
 */
import type { DistSpec } from '../../math/dist-spec.js';
import type { Scenario } from '../../scenarios/schema.js';

/** The scenario's `p2p` section plus the sample it runs on. */
export type P2pOptions = NonNullable<Scenario['p2p']> & {
  /** Clients simulated with their own caches. */
  clients: number;
  /** Users the overlay stands for (≥ `clients`). */
  population: number;
};

/** A lognormal spec from its median and p99 (seconds). */
export function lognormal(median: number, p99: number): DistSpec {
  const mu = Math.log(median);
  return { kind: 'lognormal', mu, sigma: (Math.log(p99) - mu) / 2.3263478740408408 };
}
