import { describe, expect, it } from 'vitest';
import { canonicalJson, scenarioHash } from './hash.js';
import { loadScenario } from './load.js';

describe('scenarioHash', () => {
  it('writes canonical JSON with sorted keys and no undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }, 'x'], e: null })).toBe(
      '{"a":[{"d":2},"x"],"b":1,"e":null}',
    );
  });

  it('is 16 hex digits and stable across loads', () => {
    const h = scenarioHash(loadScenario('mmc'));
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(scenarioHash(loadScenario('scenarios/catalog/mmc.yaml'))).toBe(h);
  });

  it('ignores key order but not values', () => {
    const s = loadScenario('mmc');
    const reordered = Object.fromEntries(Object.entries(s).reverse()) as typeof s;
    expect(scenarioHash(reordered)).toBe(scenarioHash(s));
    expect(scenarioHash(loadScenario('mmc', ['seed=2']))).not.toBe(scenarioHash(s));
  });
});
