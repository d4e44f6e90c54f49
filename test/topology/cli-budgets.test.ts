/**
 * `backline sim` end to end on topology scenarios: budgets decide the exit code (1 when one fails),
 * capacity warnings go to stderr, and the JSON carries the timeline and service extras.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backline } from '../cli.js';

const dir = mkdtempSync(join(tmpdir(), 'backline-topology-'));

function scenario(name: string, budget: string, rate = '50/s'): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
duration: 60s
users:
  arrivals: poisson(${rate})
  journeys:
    j: { steps: [gw.r] }
services:
  gw:
    replicas: 2
    workers: 8
    time: const(10ms)
    routes: { r: [db] }
  db: { replicas: 2, workers: 8, time: const(5ms), retry: { attempts: 2 } }
budgets:
  ${budget}
`,
  );
  return file;
}

describe('backline sim with budgets', () => {
  it('exits 0 when every budget holds and 1 when one fails', () => {
    const ok = backline(['sim', scenario('ok', 'j.p50: < 100ms'), '--json']);
    expect(ok.code).toBe(0);
    const r = JSON.parse(ok.stdout);
    expect(r.budgets).toHaveLength(1);
    expect(r.budgets[0]).toMatchObject({ expr: 'j.p50 < 100ms', limit: 100, pass: true });
    expect(r.budgets[0].value).toBeCloseTo(15, 1); // 10 ms + 5 ms, HDR-rounded
    expect(r.timeline.t.length).toBe(60);
    expect(r.services.db.retries).toBe(0);
    expect(r.services.gw.replicasOverTime).toEqual([[0, 2]]);
    const bad = backline(['sim', scenario('bad', 'j.p50: < 12ms')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL/);
  });

  it('warns on stderr when a service is offered more than it can do, and still runs', () => {
    const over = backline(['sim', scenario('over', 'j.errors: < 100%', '5k/s'), '--json']);
    expect(over.stderr).toMatch(/warning: gw: offered load ρ = /);
    expect(over.code).toBe(0);
    expect(JSON.parse(over.stdout).services.gw.rejected).toBeGreaterThan(0);
  });
});
