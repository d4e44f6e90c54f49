/**
 * `backline schema` is a JSON Schema editors and CI can use as it is: it compiles under ajv's strict
 * mode, names its dialect, and accepts every scenario the loader accepts (and rejects an unknown key).
 */
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ScenarioError } from '../../results/errors.js';
import { parseScenario } from '../../scenarios/load.js';
import { backline } from '../cli.js';
import { shippedYaml } from './shipped-yaml.js';

const printed = backline(['schema']);
const schema = JSON.parse(printed.stdout) as Record<string, unknown>;

function loads(text: string, name: string): boolean {
  try {
    parseScenario(text, name);
    return true;
  } catch (e) {
    if (e instanceof ScenarioError) return false;
    throw e;
  }
}

describe('backline schema', () => {
  it('prints a draft 2020-12 schema that compiles under ajv strict mode', () => {
    expect(printed.code).toBe(0);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('accepts every shipped scenario the loader accepts, and rejects an unknown key', () => {
    const validate = new Ajv2020.default({ strict: true, allErrors: true }).compile(schema);
    const accepted: string[] = [];
    for (const { name, text } of shippedYaml()) {
      if (!loads(text, name)) continue;
      const ok = validate(parse(text));
      expect({ name, errors: ok ? null : validate.errors }).toEqual({ name, errors: null });
      accepted.push(name);
    }
    expect(accepted).toContain('scenarios/catalog/spotify.yaml');
    expect(accepted.length).toBeGreaterThan(15);
    const typo = parse(
      'name: t\nduration: 1s\nusers: { arrivals: poisson(1/s), journeys: { j: { steps: [s] } } }\nservices: { s: { replica: 2, time: 1s } }\n',
    );
    expect(validate(typo)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: '/services/s',
      params: { additionalProperty: 'replica' },
    });
  });

  it('still accepts a number or a unit string where the scenario takes either', () => {
    const validate = new Ajv2020.default({ strict: true }).compile(schema);
    const base = { name: 't', users: { arrivals: 'poisson(1/s)', journeys: { j: { steps: ['s'] } } } };
    expect(validate({ ...base, duration: 20, services: { s: { workers: '2k', time: 'exp(1s)' } } })).toBe(
      true,
    );
    expect(validate({ ...base, duration: '20s', services: { s: { workers: 2, time: 'exp(1s)' } } })).toBe(
      true,
    );
    expect(validate({ ...base, duration: true, services: { s: { workers: 2, time: 'exp(1s)' } } })).toBe(
      false,
    );
  });
});
