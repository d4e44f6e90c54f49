/** What of a scenario the twin reads: the schema's own type, narrowed to the sections it serves. */
import type { Scenario } from '../../scenarios/schema.js';

/** The sections of a scenario the twin serves (or reports as unserved). */
export type TwinScenario = Pick<
  Scenario,
  | 'name'
  | 'seed'
  | 'regions'
  | 'latency'
  | 'catalog'
  | 'users'
  | 'services'
  | 'stores'
  | 'cdn'
  | 'p2p'
  | 'streams'
  | 'faults'
  | 'load'
>;
