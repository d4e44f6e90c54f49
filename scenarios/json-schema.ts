/**
 * The JSON Schema of the scenario file as people write it (units as strings, calls as text), for
 * editor completion: `backline schema > scenario.schema.json`, then point the YAML language server
 * at it. Derived from the zod schema, so it never drifts from what the loader accepts.
 */
import { z } from 'zod';
import { ScenarioShape } from './schema.js';

/** The input-side JSON Schema (draft 2020-12) of a scenario file. */
export function scenarioJsonSchema(): Record<string, unknown> {
  // Cross-section checks and unit parsing cannot be expressed in JSON Schema; the schema describes
  // the shape and names the expected forms in `description`s.
  const schema = z.toJSONSchema(ScenarioShape, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    title: 'backline scenario',
    description: 'A backline scenario: users, services, regions, faults and budgets (see DESIGN.md).',
  };
}
