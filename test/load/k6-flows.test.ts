import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { mergeOutputs } from '../../loadtests/k6/merge.js';
import { k6Bundle } from '../../loadtests/k6/script.js';
import { loadScenario } from '../../scenarios/load.js';
import { backline } from '../cli.js';
import { ACCOUNTS, flowScenario, startFlowServer } from '../flows/server.js';
import { fetchResponse, runK6Sandbox, typecheck } from './k6-module.js';
import { manifestErrors } from './k8s-schemas.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-k6-flows-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(join(tmp, 'accounts.csv'), `user,password\n${ACCOUNTS.map((a) => a.join(',')).join('\n')}\n`);

/** The flow, validated through the schema like `backline k6` reads it. */
function scenario(name: string, text: string) {
  const f = join(tmp, `${name}.yaml`);
  writeFileSync(f, text);
  return loadScenario(f, []);
}

const byCause = (points: { metric: string; value: number; tags: Record<string, string> }[]) => {
  const out: Record<string, number> = {};
  for (const p of points)
    if (p.metric === 'journey_failed' && p.value === 1) out[p.tags.cause] = (out[p.tags.cause] ?? 0) + 1;
  return out;
};

describe('k6 flows: the generated script run as k6 runs it, against a real loopback API', () => {
  it('logs each VU in once with its CSV row, sends its own token on every call, checks pass 100 %', async () => {
    const s = await startFlowServer();
    try {
      const sc = scenario('pass', flowScenario('http://127.0.0.1:1'));
      const b = k6Bundle(sc, { target: s.url });
      expect(Object.keys(b.files)).toEqual(['feed.accounts.json']);
      for (const [, pw] of ACCOUNTS) expect(b.script).not.toContain(pw);
      const run = await runK6Sandbox(b.script, {
        files: b.files,
        env: { TARGET: s.url },
        vus: 3,
        iterations: 12,
        respond: fetchResponse,
      });
      expect(run.errors).toEqual([]);
      // Sequential feed: VU i has row i; one login per VU, before its first journey.
      expect(s.logins, JSON.stringify([byCause(run.points), run.requests.length])).toEqual([
        'user0',
        'user1',
        'user2',
      ]);
      expect(s.plays).toHaveLength(12);
      expect(s.plays.filter((p) => p.track !== `trk-${p.user}`)).toEqual([]);
      expect(s.unauthorized).toBe(0);
      // Requests are tagged with backline's journey and step names; think times were sampled.
      expect(new Set(run.requests.map((r) => `${r.tags.journey}|${r.tags.step}|${r.group}`))).toEqual(
        new Set([
          'session|post /v1/login|::session',
          'play|get /v1/search|::play',
          'play|get /v1/tracks|::play',
        ]),
      );
      expect(run.sleeps).toBeGreaterThan(0);
      const checks = run.points.filter((p) => p.metric === 'checks');
      expect(checks).toHaveLength(3 + 12 * 5);
      expect(checks.every((p) => p.value === 1)).toBe(true);
      expect((run.options.thresholds as Record<string, string[]>)['checks{journey:play}']).toEqual([
        'rate>0.999',
      ]);
      // merge lines the points up per journey and step.
      const { result } = mergeOutputs([{ file: 'points.ndjson', text: run.ndjson }], {
        scenario: sc.name,
        hash: 'h',
        budgets: sc.budgets,
      });
      const play = result.journeys.play;
      expect(play).toMatchObject({ count: 12, errors: {}, checks: { pass: 60, fail: 0 } });
      expect(play.steps?.map((x) => [x.name, x.count, x.statuses])).toEqual([
        ['get /v1/search', 12, { '200': 12 }],
        ['get /v1/tracks', 12, { '200': 12 }],
      ]);
      expect(play.steps?.[1].checks).toEqual({
        status: { pass: 12, fail: 0 },
        body: { pass: 12, fail: 0 },
        latency: { pass: 12, fail: 0 },
      });
      expect(result.session?.steps.map((x) => [x.name, x.count])).toEqual([['post /v1/login', 3]]);
      expect(result.budgets).toMatchObject([{ expr: 'play.checks > 99.9%', value: 1, pass: true }]);
    } finally {
      await s.close();
    }
  });

  it('a flipped check fails every journey with that check as the cause, and the checks budget', async () => {
    const s = await startFlowServer();
    try {
      const sc = scenario('flip', flowScenario(s.url, { playCheck: 'status: 200, body: contains "nope"' }));
      const b = k6Bundle(sc);
      const run = await runK6Sandbox(b.script, {
        files: b.files,
        vus: 2,
        iterations: 6,
        respond: fetchResponse,
      });
      expect(run.errors).toEqual([]);
      expect(byCause(run.points)).toEqual({ 'check:body': 6 });
      const { result } = mergeOutputs([{ file: 'p', text: run.ndjson }], {
        scenario: 'x',
        hash: 'h',
        budgets: sc.budgets,
      });
      expect(result.journeys.play.errors).toEqual({ 'check:body': 6 });
      expect(result.journeys.play.steps?.[1].errors).toEqual({ 'check:body': 6 });
      expect(result.budgets[0]).toMatchObject({ pass: false });
      // 4 checks per journey (search: status, json.results; play: status, body), 1 of them failing.
      expect(result.budgets[0].value).toBe(18 / 24);
    } finally {
      await s.close();
    }
  });

  it('a capture that finds nothing fails the journey and never sends the placeholder', async () => {
    const s = await startFlowServer(['user1']);
    try {
      // Without the not-empty check, the capture is what notices the empty result.
      const text = flowScenario(s.url).replace(', json.results: not-empty', '');
      const b = k6Bundle(scenario('empty', text));
      const run = await runK6Sandbox(b.script, {
        files: b.files,
        vus: 2,
        iterations: 4,
        respond: fetchResponse,
      });
      expect(byCause(run.points)).toEqual({ 'capture:track': 2 });
      expect(run.requests.some((r) => r.url.includes('{{') || r.url.includes('%7B%7B'))).toBe(false);
      expect(s.plays.map((p) => p.user)).toEqual(['user0', 'user0']);
    } finally {
      await s.close();
    }
  });

  it('a unique feed with exhausted: stop refuses VUs past the last row before sending anything', async () => {
    const s = await startFlowServer();
    try {
      const text = flowScenario(s.url).replace('order: sequential', 'order: unique, exhausted: stop');
      const b = k6Bundle(scenario('unique', text));
      const run = await runK6Sandbox(b.script, {
        files: b.files,
        vus: ACCOUNTS.length + 2,
        iterations: ACCOUNTS.length + 2,
        respond: fetchResponse,
      });
      expect(byCause(run.points)).toEqual({ feed_exhausted: 2 });
      expect(new Set(run.requests.map((r) => r.vu)).size).toBe(ACCOUNTS.length);
      expect(s.logins).toEqual(ACCOUNTS.map(([u]) => u));
    } finally {
      await s.close();
    }
  });

  it('the catalog flows (spotify, mmc) and the flow above typecheck against @types/k6', () => {
    const scripts = ['spotify', 'mmc'].map((n) => k6Bundle(loadScenario(n, [])).script);
    scripts.push(k6Bundle(scenario('tc', flowScenario('http://127.0.0.1:1'))).script);
    expect(scripts[0]).toContain('group(k6Name(name), flow)');
    const r = typecheck(...scripts);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('backline k6 with feeds (CLI)', () => {
  const file = join(tmp, 'cli.yaml');
  writeFileSync(file, flowScenario('http://127.0.0.1:8080'));
  const feedJson = JSON.stringify({ columns: ['user', 'password'], rows: ACCOUNTS });

  it('writes the feed beside --out, and without --out exits 2 naming the file it cannot write', () => {
    const bare = backline(['k6', file]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/feeds: pass --out .*feed\.accounts\.json/);
    // A folder that does not exist is the user's path: exit 2 naming it, nothing written.
    const missing = backline(['k6', file, '--out', join(tmp, 'nowhere', 'script.ts')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`folder ${join(tmp, 'nowhere')} does not exist`);
    expect(missing.stderr).not.toMatch(/\.tmp|\.[0-9a-f]{6,}/);
    mkdirSync(join(tmp, 'k6'));
    const out = join(tmp, 'k6', 'script.ts');
    const r = backline(['k6', file, '--out', out]);
    expect(r.stderr).toContain(`wrote ${join(tmp, 'k6', 'feed.accounts.json')}`);
    expect(r.code).toBe(0);
    expect(readFileSync(join(tmp, 'k6', 'feed.accounts.json'), 'utf8').trim()).toBe(feedJson);
    expect(readFileSync(out, 'utf8')).toContain('open("./feed.accounts.json")');
  });

  it('--operator puts the feed in the ConfigMap beside the script, where the runner mounts both (/test)', () => {
    const r = backline(['k6', file, '--operator', '--target', 'http://gw.shop', '--results-pvc', 'r']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [cm, tr] = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(manifestErrors(cm)).toEqual([]);
    expect(manifestErrors(tr)).toEqual([]);
    expect(Object.keys(cm.data).sort()).toEqual(['feed.accounts.json', 'test.ts']);
    expect(cm.data['feed.accounts.json'].trim()).toBe(feedJson);
    expect(cm.data['test.ts']).toContain('open("./feed.accounts.json")');
    expect(tr.spec.script.configMap).toEqual({ name: cm.metadata.name, file: 'test.ts' });
    expect(existsSync(join(tmp, 'feed.accounts.json'))).toBe(false);
  });
});
