import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flowRun, setupFlows } from '../../loadtests/flow/program.js';
import { buildPlan } from '../../loadtests/plan.js';
import { openTransport } from '../../loadtests/transport/open.js';
import { loadScenario } from '../../scenarios/load.js';
import { startServer } from '../load/servers.js';
import { flowScenario, startFlowServer } from './server.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-flow-exec-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Loads `text` (with `csv` as accounts.csv beside it) and runs `n` journeys one after another. */
async function run(text: string, csv: string, url: string, n: number, users?: number[]) {
  writeFileSync(join(tmp, 'accounts.csv'), csv);
  writeFileSync(join(tmp, 's.yaml'), text);
  const s = loadScenario(join(tmp, 's.yaml'));
  const plan = buildPlan(s, { target: url });
  const setup = setupFlows(plan, s.load?.feeds ?? {});
  const transport = openTransport({ url: new URL(url), addresses: ['127.0.0.1'], connections: 4 });
  const t0 = performance.now();
  const r = flowRun(setup, transport, '127.0.0.1', { timeoutMs: 5000, maxBodyBytes: 1 << 20, t0 });
  const outcomes = [];
  for (let i = 0; i < n; i++)
    outcomes.push(await r.executor.startJourney(0, users?.[i], performance.now() - t0));
  await transport.close();
  return { outcomes, stats: r.stats, plan };
}

const CSV = 'user,password\nuser0,pw-0-s3cret\nuser1,pw-1-s3cret\n';

describe('flow executor errors are counted causes, never crashes', () => {
  it('a capture that finds nothing fails the journey as capture:track and never sends {{track}}', async () => {
    const s = await startFlowServer(['user0']);
    try {
      // Closed-model users 0 and 1 get rows user0 and user1 (sequential feed).
      // Without the not-empty check, the capture is what notices the empty result.
      const text = flowScenario(s.url).replace(', json.results: not-empty', '');
      const { outcomes, stats } = await run(text, CSV, s.url, 4, [0, 1, 0, 1]);
      expect(outcomes.map((o) => o.cause ?? 'ok')).toEqual(['capture:track', 'ok', 'capture:track', 'ok']);
      expect(s.plays).toEqual([
        { user: 'user1', track: 'trk-user1' },
        { user: 'user1', track: 'trk-user1' },
      ]);
      expect(s.seen.some((q) => q.url.includes('{{') || q.url.includes('%7B%7B'))).toBe(false);
      expect(s.logins).toEqual(['user0', 'user1']);
      const [search, play] = stats.steps('play');
      expect(search.errors).toEqual({ 'capture:track': 2 });
      expect(search.checks).toEqual({ status: { pass: 4, fail: 0 } });
      expect(play.count).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('a feed value with CR/LF in a header is refused as bad_request before anything is sent', async () => {
    const s = await startFlowServer();
    try {
      const text = flowScenario(s.url).replace(
        'post: { url: /v1/login, json',
        'post: { url: /v1/login, headers: { x-user: "{{feed.accounts.user}}" }, json',
      );
      const csv = 'user,password\n"user0\r\nX-Evil: 1",pw-0-s3cret\n';
      const { outcomes, stats } = await run(text, csv, s.url, 2, [0, 0]);
      expect(outcomes.map((o) => o.cause)).toEqual(['session:bad_request', 'session:bad_request']);
      expect(s.seen).toEqual([]);
      expect(stats.steps('session')[0].errors).toEqual({ bad_request: 2 });
    } finally {
      await s.close();
    }
  });

  it('counts bad_request for a header value from a capture with CR/LF, and feed_exhausted past a unique feed', async () => {
    const s = await startServer((req, res) => {
      if (req.url === '/login') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ token: 'a\r\nX-Smuggled: 1' }));
      }
      res.end('ok');
    });
    try {
      const text = `name: t
duration: 1s
users: { arrivals: poisson(1/s), journeys: { play: { steps: [svc] } } }
services: { svc: { time: exp(1ms) } }
load:
  target: ${s.url}
  feeds: { accounts: { file: accounts.csv, order: unique } }
  session: [ { post: { url: /login, json: { u: "{{feed.accounts.user}}" }, capture: { token: json.token } } } ]
  requests:
    play: [ { get: { url: /x, headers: { authorization: "Bearer {{token}}" } } } ]
`;
      const { outcomes, stats } = await run(text, CSV, s.url, 3, [0, 1, 2]);
      expect(outcomes.map((o) => o.cause)).toEqual(['bad_request', 'bad_request', 'feed_exhausted']);
      expect(s.seen.map((q) => q.url)).toEqual(['/login', '/login']);
      expect(stats.steps('play')[0].errors).toEqual({ bad_request: 2 });
      expect(stats.statusTimeline().codes.bad_request?.reduce((a, b) => a + b, 0)).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('keeps cookies per virtual user for the target only', async () => {
    const s = await startServer((req, res) => {
      if (req.url === '/login')
        res.setHeader('set-cookie', [
          `sid=${req.headers['x-u']}; Path=/; HttpOnly`,
          'evil=1; Domain=evil.example; Path=/',
          'gone=1; Max-Age=0',
        ]);
      res.end('ok');
    });
    try {
      const text = `name: t
duration: 1s
users: { arrivals: poisson(1/s), journeys: { play: { steps: [svc] } } }
services: { svc: { time: exp(1ms) } }
load:
  target: ${s.url}
  feeds: { accounts: { file: accounts.csv } }
  session: [ { post: { url: /login, headers: { x-u: "{{feed.accounts.user}}" } } } ]
  requests: { play: "GET /me" }
`;
      await run(text, CSV, s.url, 2, [0, 1]);
      const me = s.seen.filter((q) => q.url === '/me').map((q) => q.headers.cookie);
      expect(me).toEqual(['sid=user0', 'sid=user1']);
    } finally {
      await s.close();
    }
  });
});
