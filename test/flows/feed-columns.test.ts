import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flowRun, setupFlows } from '../../loadtests/flow/program.js';
import { TemplateJs } from '../../loadtests/k6/template-js.js';
import { buildPlan } from '../../loadtests/plan.js';
import { openTransport } from '../../loadtests/transport/open.js';
import { loadScenario } from '../../scenarios/load.js';
import { placeholders } from '../../scenarios/template-syntax.js';
import { startServer } from '../load/servers.js';
import { problemsOf } from './problems.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-feed-columns-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Columns no variable-like name can spell: a dash, a space, quotes, a prototype key, a line break.
const COLUMNS = ['user-id', 'e mail', 'say "hi"', '__proto__', 'line\nbreak'];
const CSV = `user-id,e mail,"say ""hi""",__proto__,"line\nbreak"\r\nU1,ann@x.org,q1,P1,N1\r\n`;
writeFileSync(join(tmp, 'accounts.csv'), CSV);

/** A scenario whose one journey posts every column; `play` is the step as YAML flow text. */
function scenario(target: string, play: string): string {
  return `name: feed-columns
duration: 1s
users: { arrivals: poisson(1/s), journeys: { play: { steps: [svc] } } }
services: { svc: { time: exp(1ms) } }
load:
  target: ${target}
  feeds: { accounts: { file: accounts.csv } }
  requests:
    play:
      - ${play}
`;
}

const STEP = String.raw`post: { url: '/echo/{{feed.accounts.user-id}}', headers: { x-mail: '{{ feed.accounts["e mail"] }}' }, json: { q: '{{feed.accounts["say \"hi\""]}}', p: '{{feed.accounts.__proto__}}', n: '{{feed.accounts["line\nbreak"]}}' } }`;

const problems = (text: string) => problemsOf(join(tmp, 'bad.yaml'), text);

describe('feed columns with other characters than a variable name', () => {
  it('reads the dotted form with `-` and the bracket form ["…"] as the same column, never as literal text', () => {
    expect(
      placeholders('{{feed.a.user-id}}{{feed.a["user-id"]}}{{ feed.a["say \\"hi\\""] }}').map((p) => p.ref),
    ).toEqual([
      { kind: 'feed', feed: 'a', column: 'user-id' },
      { kind: 'feed', feed: 'a', column: 'user-id' },
      { kind: 'feed', feed: 'a', column: 'say "hi"' },
    ]);
    // A raw line break or an escape JSON does not have is no placeholder.
    expect(placeholders('{{feed.a["x\ny"]}}{{feed.a["\\q"]}}')).toEqual([]);
  });

  it('sends every column a real server receives, from the path, a header and a JSON body', async () => {
    const s = await startServer((_q, res) => res.end('ok'));
    try {
      writeFileSync(join(tmp, 's.yaml'), scenario(s.url, STEP));
      const sc = loadScenario(join(tmp, 's.yaml'));
      const setup = setupFlows(buildPlan(sc, { target: s.url }), sc.load?.feeds ?? {});
      const transport = openTransport({ url: new URL(s.url), addresses: ['127.0.0.1'], connections: 1 });
      const t0 = performance.now();
      const r = flowRun(setup, transport, '127.0.0.1', { timeoutMs: 5000, maxBodyBytes: 1 << 20, t0 });
      const outcome = await r.executor.startJourney(0, 0, performance.now() - t0);
      await transport.close();
      expect(outcome.cause).toBeUndefined();
      expect(s.seen).toHaveLength(1);
      const [req] = s.seen;
      expect(req.url).toBe('/echo/U1');
      expect(req.headers['x-mail']).toBe('ann@x.org');
      expect(JSON.parse(req.body)).toEqual({ q: 'q1', p: 'P1', n: 'N1' });
    } finally {
      await s.close();
    }
  });

  it('the k6 script reads the same columns by index', () => {
    const js = new TemplateJs({ vars: new Set(), feeds: [{ name: 'accounts', columns: COLUMNS }] });
    expect(js.expr('{{feed.accounts.user-id}}/{{feed.accounts["line\\nbreak"]}}')).toBe(
      'col(0, 0) + "/" + col(0, 4)',
    );
  });

  it('refuses at validation, located, a column the dotted form cannot write and an unknown bracket column', () => {
    const spaced = scenario('http://127.0.0.1:1', "get: { url: '/x?m={{feed.accounts.e mail}}' }");
    expect(problems(spaced)).toEqual([
      '10:9 `{{feed.accounts.e mail}}` is not a feed placeholder: write {{feed.<name>.<column>}}, or {{feed.<name>["<column>"]}} for a column with other characters than letters, digits, `_`, `.` and `-`',
    ]);
    const near = scenario(
      'http://127.0.0.1:1',
      String.raw`get: { url: '/x?m={{feed.accounts["e\r\nmail"]}}' }`,
    );
    expect(problems(near)).toEqual([
      '10:9 feed `accounts` has no column "e\\r\\nmail"; did you mean {{feed.accounts["e mail"]}}?',
    ]);
    // Capture names are variables: `-` and prototype keys are refused where they are written.
    const caps = scenario(
      'http://127.0.0.1:1',
      'get: { url: /x, capture: { user-id: status, __proto__: status } }',
    );
    expect(problems(caps).map((p) => p.replace(/: use .*$/, ''))).toEqual([
      '10:45 bad variable name `user-id`',
      '10:53 `__proto__` cannot be a key: every JavaScript object has a property of that name',
    ]);
    const far = scenario('http://127.0.0.1:1', 'get: { url: \'/x?m={{feed.accounts["password"]}}\' }');
    expect(problems(far)).toEqual([
      '10:9 feed `accounts` has no column `password`; its columns are `user-id`, "e mail", "say \\"hi\\"", `__proto__`, "line\\nbreak"',
    ]);
  });
});
