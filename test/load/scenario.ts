/**
 * Scenarios for the load tests, built through the schema so every default comes from one place;
 * a test that varies the `load` section passes the (parsed) fields it changes.
 */
import { parseScenario } from '../../scenarios/load.js';
import type { Load, Scenario } from '../../scenarios/schema.js';

/** `yaml` validated by the schema; with `load`, those fields replace the parsed `load` section's. */
export function scenarioOf(yaml: string, load?: Partial<Load>): Scenario {
  const s = parseScenario(yaml, 'test.yaml');
  if (load === undefined) return s;
  if (s.load === undefined) throw new Error('scenarioOf: give the YAML a `load` section to override');
  return { ...s, load: { ...s.load, ...load } };
}
