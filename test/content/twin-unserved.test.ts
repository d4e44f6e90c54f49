/**
 * What the twin does not serve of a scenario's CDN must be said (`--twin` prints it, `--predict`
 * marks the journeys not comparable), never served differently in silence.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unservedParts } from '../../loadtests/twin/unserved.js';
import { catalogDir, parseScenario } from '../../scenarios/load.js';

const CDN_ZIPF = readFileSync(`${catalogDir()}/cdn-zipf.yaml`, 'utf8');

/** cdn-zipf (one LRU edge in eu-west, journey `fetch: [cdn]`) with `edit` applied to its text. */
function cdnZipf(edit: (text: string) => string) {
  return parseScenario(edit(CDN_ZIPF), 'cdn-zipf.yaml');
}

describe('the twin names the CDN behaviour it does not serve', () => {
  it('serves cdn-zipf as it is: one LRU edge, no shield, no outage', () => {
    expect(unservedParts(cdnZipf((t) => t))).toEqual([]);
  });

  for (const policy of ['lfu', 'ttl, ttl: 10m']) {
    const name = policy.split(',')[0];
    it(`an edge with policy ${name} (the twin's edge is LRU) makes fetch not comparable`, () => {
      const s = cdnZipf((t) => t.replace('policy: lru', `policy: ${policy}`));
      expect(s.cdn?.edges['eu-west'].policy).toBe(name);
      const parts = unservedParts(s);
      expect(parts.map((p) => p.part)).toEqual(['cdn']);
      expect(parts[0].reason).toContain(`\`${name}\``);
      expect(parts[0].journeys).toEqual(['fetch']);
    });
  }

  it('an outage of the edge’s region (the simulation fails the edge over to the origin) makes fetch not comparable', () => {
    const s = cdnZipf((t) => `${t}\nfaults:\n  - { at: 1m, for: 30s, outage: eu-west }\n`);
    expect(s.faults).toHaveLength(1);
    const parts = unservedParts(s);
    expect(parts.map((p) => p.part)).toEqual(['cdn']);
    expect(parts[0].reason).toContain('outage of eu-west');
    expect(parts[0].journeys).toEqual(['fetch']);
  });
});
