import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backlineAsync } from '../cli.js';
import { ACCOUNTS, flowScenario, startFlowServer } from './server.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-flows-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(join(tmp, 'accounts.csv'), `user,password\n${ACCOUNTS.map((a) => a.join(',')).join('\n')}\n`);

function scenarioFile(name: string, text: string): string {
  const f = join(tmp, `${name}.yaml`);
  writeFileSync(f, text);
  return f;
}

describe('flows end to end (backline load against a loopback API)', () => {
  it('logs each virtual user in with its CSV row and sends its own token on every protected call', async () => {
    const s = await startFlowServer();
    try {
      const out = join(tmp, 'pass');
      const r = await backlineAsync([
        'load',
        '--allow-late',
        scenarioFile('pass', flowScenario(s.url)),
        '--out',
        out,
        '--json',
      ]);
      // A late generator on a busy machine only warns (--allow-late); nothing else may.
      expect(r.stderr.replace(/^backline: warning: the load generator.*$/m, '')).not.toMatch(
        /warning|error/i,
      );
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout);
      const play = result.journeys.play;
      expect(play.count).toBe(40);
      expect(play.errorRate).toBe(0);
      // Two requests per flow, each answered by the API for the user whose token it carried.
      expect(s.plays.length).toBe(40);
      expect(s.plays.filter((p) => p.track !== `trk-${p.user}`)).toEqual([]);
      expect(s.unauthorized).toBe(0);
      // One login per virtual user, never more than the flows that ran, each a CSV account.
      expect(s.logins.length).toBeGreaterThan(0);
      expect(s.logins.length).toBeLessThanOrEqual(40);
      expect(new Set(s.logins).size).toBe(Math.min(s.logins.length, ACCOUNTS.length));
      expect(result.session.steps[0]).toMatchObject({ name: 'post /v1/login', count: s.logins.length });
      expect(play.checks).toEqual({ pass: 40 * 5, fail: 0 });
      expect(play.steps.map((x: { name: string }) => x.name)).toEqual(['get /v1/search', 'get /v1/tracks']);
      expect(play.steps[1].statuses).toEqual({ '200': 40 });
      expect(play.steps[1].checks.body).toEqual({ pass: 40, fail: 0 });
      expect(result.budgets).toMatchObject([{ expr: 'play.checks > 99.9%', value: 1, pass: true }]);
      // Secrets from the feed never reach the result.
      const written = readFileSync(join(out, 'result.json'), 'utf8');
      for (const [, pw] of ACCOUNTS) expect(written).not.toContain(pw);
      expect(r.stdout).not.toContain('s3cret');
    } finally {
      await s.close();
    }
  });

  it('exits 1 naming the check when one check of the flow fails', async () => {
    const s = await startFlowServer();
    try {
      const text = flowScenario(s.url, { playCheck: 'status: 200, body: contains "not there"' });
      const r = await backlineAsync(['load', scenarioFile('flip', text), '--json', '--allow-late']);
      expect(r.code).toBe(1);
      const result = JSON.parse(r.stdout);
      expect(result.journeys.play.errors).toEqual({ 'check:body': 40 });
      expect(result.journeys.play.checks).toEqual({ pass: 40 * 3, fail: 40 });
      expect(result.budgets[0].pass).toBe(false);
      expect(result.budgets[0].expr).toBe(
        'play.checks > 99.9% (check body of get /v1/tracks failed 40 of 40)',
      );
    } finally {
      await s.close();
    }
  });
});
