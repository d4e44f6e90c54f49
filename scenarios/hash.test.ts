import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, scenarioHash } from './hash.js';
import { loadScenario } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'backline-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to a scenario file and returns its hash and its first budget's line. */
function hashOf(name: string, text: string): { hash: string; budgetLine: number } {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  const s = loadScenario(file);
  return { hash: scenarioHash(s), budgetLine: s.budgets[0].line };
}

const PLAIN = `name: h
duration: 10s
regions:
  eu: { users: 50% }
  us: { users: 50% }
latency:
  intra: 1ms
  eu<->us: 30ms
users:
  arrivals: poisson(10/s)
  journeys:
    play: { steps: [api.play] }
services:
  api: { time: 5ms, workers: 2 }
budgets:
  play.p99: < 400ms
  play.errors: < 1%
`;

// The same scenario with comments, blank lines, top-level sections, budget keys and the latency
// pair written in another order.
const REWRITTEN = `# A comment that moves every line below it.

name: h

services:
  api: { workers: 2, time: 5ms }   # same service, keys swapped
# before the budgets
budgets:

  play.errors: < 1%
  play.p99: < 400ms
users:
  journeys:
    play: { steps: [api.play] }
  arrivals: poisson(10/s)
latency:
  us<->eu: 30ms
  intra: 1ms
regions:
  us: { users: 50% }
  eu: { users: 50% }
duration: 10s
`;

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

  it('is the same for two files differing only in comments, blank lines and key order', () => {
    const a = hashOf('plain', PLAIN);
    const b = hashOf('rewritten', REWRITTEN);
    // The budgets really sit on other lines (positions are kept for messages, not hashed).
    expect([a.budgetLine, b.budgetLine]).toEqual([16, 10]);
    expect(b.hash).toBe(a.hash);
    // One comment line above `budgets:` alone.
    expect(hashOf('comment', PLAIN.replace('budgets:', '# why these budgets\nbudgets:')).hash).toBe(a.hash);
  });

  it('changes when a value changes: a budget limit, a latency, a service time', () => {
    const base = hashOf('base', PLAIN).hash;
    const changed = [
      PLAIN.replace('< 400ms', '< 401ms'),
      PLAIN.replace('play.errors: < 1%', 'play.errors: <= 1%'),
      PLAIN.replace('eu<->us: 30ms', 'eu<->us: 31ms'),
      PLAIN.replace('time: 5ms', 'time: 6ms'),
    ].map((t, i) => hashOf(`changed${i}`, t).hash);
    for (const h of changed) expect(h).not.toBe(base);
    expect(new Set(changed).size).toBe(changed.length);
  });
});
