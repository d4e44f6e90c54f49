/**
 * The JSON Schema export of the scenario format.
 */
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from './json-schema.js';

describe('JSON Schema of the input format', () => {
  it('describes every top-level section and the service keys, with units as strings', () => {
    const schema = JSON.parse(JSON.stringify(scenarioJsonSchema())) as {
      properties: Record<string, { additionalProperties?: { properties?: Record<string, unknown> } }>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual([
      'name',
      'about',
      'seed',
      'duration',
      'warmup',
      'replications',
      'regions',
      'latency',
      'catalog',
      'users',
      'services',
      'stores',
      'cdn',
      'p2p',
      'streams',
      'faults',
      'budgets',
      'load',
    ]);
    expect(schema.required).toEqual(['name', 'duration', 'users', 'services']);
    const service = schema.properties.services.additionalProperties?.properties ?? {};
    expect(Object.keys(service)).toContain('autoscale');
    expect(service.time).toEqual({
      description: 'a distribution like `exp(1ms)` for `time`',
      anyOf: [{ type: 'string' }, { type: 'number' }],
    });
  });
});
