/**
 * `stores.<s>.regions` and the local consistency levels: what is accepted, and hostile region lists
 * refused at `file:line:col`.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from './load.js';
import { errorOf } from './test-support.js';

const HEAD = `name: t
duration: 1m
regions: { eu-west: { users: 60% }, us-east: { users: 40% } }
users: { arrivals: poisson(10/s), journeys: { go: { steps: [stores.s] } } }
services: { api: { time: 1ms } }
stores:
  s: { shards: 4, time: 1ms, `;
const store = (fields: string) => `${HEAD}${fields} }\n`;
const COL = HEAD.split('\n').at(-1)?.length ?? 0;

describe('store regions in the scenario', () => {
  it('accepts regions with local-one and local-quorum, and sizes "crash all" as shards × regions', () => {
    for (const c of ['local-one', 'local-quorum', 'one', 'quorum', 'all']) {
      const s = parseScenario(store(`regions: [eu-west, us-east], consistency: ${c}`), 's.yaml');
      expect(s.stores.s.regions).toEqual(['eu-west', 'us-east']);
      expect(s.stores.s.consistency).toBe(c);
    }
    const all = parseScenario(
      `${store('regions: [eu-west, us-east]')}faults: [{ at: 10s, for: 10s, crash: stores.s }]\n`,
      's.yaml',
    );
    expect(all.faults[0]).toMatchObject({ kind: 'crash', count: 8 });
    // 5 of 8 nodes may crash; 9 may not.
    parseScenario(
      `${store('regions: [eu-west, us-east]')}faults: [{ at: 10s, for: 5s, crash: stores.s, shards: 5 }]\n`,
      's.yaml',
    );
    expect(
      errorOf(() =>
        parseScenario(
          `${store('regions: [eu-west, us-east]')}faults: [{ at: 10s, for: 5s, crash: stores.s, shards: 9 }]\n`,
          's.yaml',
        ),
      ),
    ).toContain('this fault crashes 9 of `stores.s`, which has only 8');
  });

  it('refuses undeclared, hostile, repeated and empty region lists at file:line:col', () => {
    const at = (col: number) => `s.yaml:7:${COL + col}`;
    const cases: [string, string][] = [
      [
        'regions: [__proto__]',
        `${at(11)}  unknown region \`__proto__\`; regions are \`eu-west\`, \`us-east\``,
      ],
      [
        'regions: [constructor]',
        `${at(11)}  unknown region \`constructor\`; regions are \`eu-west\`, \`us-east\``,
      ],
      [`regions: ['eu"west']`, `${at(11)}  unknown region \`eu"west\`; did you mean \`eu-west\`?`],
      ['regions: ["us\\neast"]', `${at(11)}  unknown region \`us\\neast\`; did you mean \`us-east\`?`],
      ['regions: ["eu-west\\r"]', `${at(11)}  unknown region \`eu-west\\r\`; did you mean \`eu-west\`?`],
      ['regions: [us-eats]', `${at(11)}  unknown region \`us-eats\`; did you mean \`us-east\`?`],
      ['regions: [eu-west, eu-west]', `${at(20)}  region \`eu-west\` is listed twice`],
      [
        'regions: []',
        `${at(10)}  a store lists at least one region, e.g. \`[eu-west, us-east]\`; leave \`regions\` out for one datacenter every caller reaches`,
      ],
      [
        `regions: [${'x'.repeat(5000)}]`,
        `${at(11)}  unknown region \`${'x'.repeat(5000)}\`; regions are \`eu-west\`, \`us-east\``,
      ],
      ['regions: eu-west', `${at(10)}  expected a list for \`regions\`, e.g. \`[eu-west, us-east]\``],
      [
        'consistency: local_quorum',
        `${at(14)}  unknown consistency \`local_quorum\`; did you mean \`local-quorum\`?`,
      ],
    ];
    for (const [fields, message] of cases)
      expect(errorOf(() => parseScenario(store(fields), 's.yaml'))).toBe(message);
  });

  it('names the missing `regions` section when the scenario declares none', () => {
    const yaml = store('regions: [eu-west]').replace(/^regions:.*\n/m, '');
    expect(errorOf(() => parseScenario(yaml, 's.yaml'))).toBe(
      `s.yaml:6:${COL + 11}  unknown region \`eu-west\`: the scenario declares no \`regions\``,
    );
  });
});
