/**
 * The twin maps a request to its journey by the journey's path template. Feed columns in the
 * bracket form (`{{feed.accounts["a}b"]}}`) may hold `}` and `?`; the twin used to split paths with
 * its own regex (`\{\{[^}]*\}\}`, and the query at the first `?`), so such a path matched no request
 * and every one was a 404. It now reads placeholders with the scenario's template reader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import { pathPattern } from '../../loadtests/twin/edge.js';
import { startTwin } from '../../loadtests/twin/twin.js';
import { loadScenario } from '../../scenarios/load.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-twin-path-columns-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Column names a variable name cannot spell, as a bracket placeholder writes them (JSON strings). */
const HOSTILE = ['a}b', 'q?x', 'say "hi"', '__proto__', 'cr\r\nlf', '}}'];
const placeholder = (column: string) => `{{feed.accounts[${JSON.stringify(column)}]}}`;
const PATH = `/acct/${HOSTILE.map(placeholder).join('/')}/x`;

describe("the twin's path matching with hostile feed column names", () => {
  it('treats each bracket placeholder as one path segment, whatever its column holds', () => {
    for (const column of HOSTILE) {
      const re = pathPattern(`/acct/${placeholder(column)}/x?k=${placeholder(column)}`)!;
      expect(re.test('/acct/V1/x'), column).toBe(true);
      expect(re.test('/acct/V1/y'), column).toBe(false);
      expect(re.test('/acct/V1/V2/x'), column).toBe(false);
    }
    const all = pathPattern(PATH)!;
    expect(all.test('/acct/1/2/3/4/5/6/x')).toBe(true);
    expect(all.test('/acct/1/2/3/4/5/x')).toBe(false);
    // Literal text around placeholders stays literal: regex characters and a query after the path.
    const lit = pathPattern('/a.b/{{user.id}}/(c)?q={{feed.accounts["a}b"]}}')!;
    expect(lit.test('/a.b/7/(c)')).toBe(true);
    expect(lit.test('/aXb/7/(c)')).toBe(false);
  });

  it('serves a real load whose request path holds every hostile column: all answered, none a 404', async () => {
    const header = HOSTILE.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
    const rows = [1, 2, 3].map((i) => HOSTILE.map((_, k) => `v${i}${k}`).join(',')).join('\r\n');
    writeFileSync(join(tmp, 'accounts.csv'), `${header}\r\n${rows}\r\n`);
    // YAML single quotes keep the backslashes of the JSON escapes (\" and \r\n) as they are.
    writeFileSync(
      join(tmp, 's.yaml'),
      `name: path-columns
duration: 1s
users: { arrivals: poisson(30/s), journeys: { acct: { steps: [svc] } } }
services: { svc: { workers: 16, time: exp(2ms) } }
load:
  target: http://127.0.0.1:9
  feeds: { accounts: { file: accounts.csv } }
  requests:
    acct: [ { get: { url: '${PATH.replaceAll("'", "''")}' } } ]
`,
    );
    const scenario = loadScenario(join(tmp, 's.yaml'));
    const twin = await startTwin(scenario);
    try {
      const o = await startLoad(scenario, { target: twin.endpoints.url, rate: 30, duration: 1 }).outcome;
      const acct = o.result.journeys.acct;
      // Before the fix every request was `not_found` (404) and svc served none.
      expect(acct.errors).toEqual({});
      expect(acct.count).toBeGreaterThan(10);
      expect(twin.services().svc.served).toBe(acct.count);
    } finally {
      await twin.stop();
    }
  }, 30_000);
});
