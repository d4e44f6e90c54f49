/**
 * A short, stable fingerprint of a validated scenario, so results can say exactly which scenario
 * (after defaults and overrides) produced them. It fingerprints what the scenario means, not how it
 * is written: comments, blank lines, key order and the source positions kept for error messages
 * (budget `line`/`col`) do not change it, so `history` keeps comparing runs of an edited file.
 */
import { createHash } from 'node:crypto';
import type { Scenario } from './schema.js';

/** JSON with object keys sorted at every level and `undefined` members left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The scenario as meaning: budget positions left out, and the lists the loader builds from YAML
 * mappings (budgets, latency pairs) in a fixed order, since a mapping's key order means nothing.
 */
export function scenarioMeaning(scenario: Pick<Scenario, 'budgets' | 'latency'>): unknown {
  const budgets = scenario.budgets
    .map(({ line: _line, col: _col, ...b }) => b)
    .sort((x, y) => byText(canonicalJson(x), canonicalJson(y)));
  const latency = scenario.latency && {
    ...scenario.latency,
    // `a<->b` and `b<->a` name the same link (the loader refuses both at once).
    pairs: scenario.latency.pairs
      .map((p) => (p.b < p.a ? { ...p, a: p.b, b: p.a } : p))
      .sort((x, y) => byText(`${x.a}\0${x.b}`, `${y.a}\0${y.b}`)),
  };
  return { ...scenario, budgets, latency };
}

/** First 16 hex digits of the SHA-256 of the canonical JSON of the scenario's meaning. */
export function scenarioHash(scenario: Scenario): string {
  return createHash('sha256')
    .update(canonicalJson(scenarioMeaning(scenario)))
    .digest('hex')
    .slice(0, 16);
}
