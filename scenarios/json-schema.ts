/**
 * The JSON Schema of the scenario file as people write it (units as strings, calls as text), for
 * editor completion: `backline schema > scenario.schema.json`, then point the YAML language server
 * at it. Derived from the zod schema, so it never drifts from what the loader accepts.
 */
import * as z from 'zod';
import { ScenarioShape } from './schema.js';

/** JSON Schema formats every validator knows; zod also emits its own (`starts_with`) beside a pattern. */
const STANDARD_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'uri',
  'uuid',
  'ipv4',
  'ipv6',
]);

/**
 * Rewrites what strict validators (ajv `strict: true`) refuse, without changing what validates:
 * a union `type: [a, b]` becomes `anyOf` of single types (each keeps only the keywords for its type),
 * and non-standard formats are dropped where a `pattern` already says the same.
 */
function strictCompatible(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictCompatible);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'format' && typeof v === 'string' && !STANDARD_FORMATS.has(v)) continue;
    out[k] = k === 'properties' || k === '$defs' ? mapValues(v, strictCompatible) : strictCompatible(v);
  }
  if (!Array.isArray(out.type)) return out;
  const { type, description, ...rest } = out;
  return {
    ...(description === undefined ? {} : { description }),
    anyOf: (type as string[]).map((t) => ({ type: t, ...forType(t, rest) })),
  };
}

const mapValues = (v: unknown, f: (x: unknown) => unknown) =>
  v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x)])) : v;

const STRING_KEYWORDS = new Set(['pattern', 'minLength', 'maxLength', 'format']);
const NUMBER_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']);

/** The keywords of a union-typed node that apply to one of its types. */
function forType(type: string, keywords: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(keywords).filter(([k]) =>
      STRING_KEYWORDS.has(k)
        ? type === 'string'
        : NUMBER_KEYWORDS.has(k)
          ? type === 'number' || type === 'integer'
          : true,
    ),
  );
}

/** The input-side JSON Schema (draft 2020-12) of a scenario file; compiles under ajv's strict mode. */
export function scenarioJsonSchema(): Record<string, unknown> {
  // Cross-section checks and unit parsing cannot be expressed in JSON Schema; the schema describes
  // the shape and names the expected forms in `description`s.
  const schema = z.toJSONSchema(ScenarioShape, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...(strictCompatible(schema) as Record<string, unknown>),
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'backline scenario',
    description:
      'A backline scenario: users, services, regions, faults and budgets (see scenarios/CONTRACT.md).',
  };
}
