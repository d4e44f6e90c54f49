/**
 * `load.maxDuration` (default 600 s) bounds every load run: the plan and the scheduler clamp to it.
 * Asking for longer used to run the shorter time in silence (`--duration 826s` ran 600 s); now the
 * built CLI says so on stderr before the load starts, for `--duration`, a `load.profile` and the
 * scenario's own duration alike, and the run still stops at the bound. `backline k6` writes a script
 * that stops at the bound too (its phases used to run the whole profile) and says so the same way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { k6Bundle } from '../../loadtests/k6/script.js';
import { durationCut } from '../../loadtests/plan.js';
import type { RunResult } from '../../results/run-result.js';
import { loadScenario } from '../../scenarios/load.js';
import { backline, backlineAsync } from '../cli.js';

const dir = mkdtempSync(join(tmpdir(), 'backline-max-duration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A scenario bounded at 2 s of load; `extra` adds lines under `load:`. */
function scenario(name: string, extra = '', head = 'duration: 5s'): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
${head}
users: { arrivals: poisson(20/s), journeys: { go: { steps: [svc] } } }
services: { svc: { workers: 8, time: exp(2ms) } }
load:
  target: http://127.0.0.1:9
  maxDuration: 2s
${extra}`,
  );
  return file;
}

const RAISE = 'raise load.maxDuration in the scenario to run longer';
const LOAD = ['--twin', '--warmup', '0', '--allow-late', '--json'];

describe('load.maxDuration shorter than the load asked for', () => {
  it('says on stderr that --duration 3s stops at 2 s, and the run stops there', async () => {
    const run = await backlineAsync(['load', scenario('flag'), ...LOAD, '--duration', '3s']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `backline: --duration 3 s is longer than load.maxDuration (2 s): the run stops at 2 s; ${RAISE}\n`,
    );
    const r = JSON.parse(run.stdout) as RunResult;
    expect(r.window.end).toBeLessThanOrEqual(2.05);
    // 20/s for 2 s: about 40 requests, nowhere near the 60 of 3 s (Poisson: ±3 sd is ±19).
    expect(r.journeys.go.count).toBeGreaterThan(15);
    expect(r.journeys.go.count).toBeLessThan(60);
  }, 30_000);

  it('says so for a profile longer than the bound, and nothing when the load fits', async () => {
    const file = scenario('profile', '  profile: [{ hold: 20/s, for: 3s }]\n');
    const long = await backlineAsync(['load', file, ...LOAD]);
    expect(long.code, long.stderr).toBe(0);
    expect(long.stderr).toContain(
      `backline: the load profile (3 s) is longer than load.maxDuration (2 s): the run stops at 2 s; ${RAISE}\n`,
    );
    expect((JSON.parse(long.stdout) as RunResult).window.end).toBeLessThanOrEqual(2.05);
    const fits = await backlineAsync(['load', file, ...LOAD, '--duration', '1s']);
    expect(fits.code, fits.stderr).toBe(0);
    expect(fits.stderr).not.toContain('maxDuration');
  }, 30_000);

  it("names the scenario's duration for a closed model, and a --rate run by its length", () => {
    // Closed users loop for the scenario's duration.
    const closed = loadScenario(scenario('closed', '', 'duration: 4s'), [
      'users.arrivals=closed(users: 3, think: 100ms)',
    ]);
    expect(durationCut(closed)).toEqual({ asked: 4, max: 2, by: 'scenario' });
    expect(durationCut(closed, { duration: 1.5 })).toBeUndefined();
    const open = loadScenario(scenario('open'));
    expect(durationCut(open, { rate: 10, duration: 2.5 })).toEqual({ asked: 2.5, max: 2, by: 'duration' });
    expect(durationCut(open, { rate: 10, duration: 2 })).toBeUndefined();
  });

  it('backline k6 says the profile stops at 2 s, and the script it writes stops there', () => {
    const file = scenario('k6', '  profile: [{ hold: 20/s, for: 3s }]\n');
    const out = join(dir, 'k6.ts');
    const run = backline(['k6', file, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `backline: the load profile (3 s) is longer than load.maxDuration (2 s): the run stops at 2 s; ${RAISE}\n`,
    );
    expect(readFileSync(out, 'utf8')).toMatch(/"executor": "constant-arrival-rate",[^}]*"duration": "2s"/);
    // A load that fits says nothing.
    const fits = backline(['k6', scenario('k6fits', '  profile: [{ hold: 20/s, for: 1s }]\n'), '--out', out]);
    expect(fits.stderr).not.toContain('maxDuration');
  });

  it("cuts k6's stages at the bound for --duration and a ramp (load --tool k6 writes this script)", () => {
    const open = loadScenario(scenario('k6open'));
    const stages = (script: string) =>
      JSON.parse(/"stages": (\[[^\]]*\])/.exec(script)?.[1] ?? '[]') as {
        target: number;
        duration: string;
      }[];
    expect(k6Bundle(open, { rate: 10, duration: 3 }).script).toMatch(/"duration": "2s"/);
    const ramp = loadScenario(
      scenario('k6ramp', '  profile: [{ ramp: 0 -> 40/s, over: 4s }, { hold: 40/s, for: 2s }]\n'),
    );
    // Cut at 2 s of a 0→40/s ramp over 4 s: 20/s reached, the hold never starts.
    expect(stages(k6Bundle(ramp).script)).toEqual([{ target: 20, duration: '2s' }]);
  });
});
