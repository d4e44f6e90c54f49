import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backline } from './cli.js';

const quick = ['--set', 'duration=3000s', '--set', 'warmup=100s'];

describe('backline sim', () => {
  it('prints byte-identical JSON for the same seed and different numbers for another', () => {
    const a = backline(['sim', 'mmc', '--json', ...quick]);
    const b = backline(['sim', 'mmc', '--json', ...quick]);
    const c = backline(['sim', 'mmc', '--json', '--seed', '2', ...quick]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    const r = JSON.parse(a.stdout);
    expect(r.kind).toBe('sim');
    expect(r.replications).toBe(5);
    expect(r.journeys.req.count).toBeGreaterThan(40_000);
    expect(r.journeys.req.latency.p99).toBeGreaterThan(r.journeys.req.latency.p50);
    expect(r.journeys.req.ci.mean[0]).toBeLessThan(r.journeys.req.latency.mean);
    expect(r.services.server.utilization).toBeGreaterThan(0.75);
    expect(r.services.server.utilization).toBeLessThan(0.85);
  });

  it('prints a readable summary with intervals', () => {
    const r = backline(['sim', 'mmc', '--replications', '3', ...quick]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/journey\s+count\s+thr\/s/);
    expect(r.stdout).toMatch(/req\s+[\d,]+\s+3\.\d+ ±/);
    expect(r.stdout).toMatch(/server\s+1\s+\d+\.\d ±/);
  });

  it('applies --set overrides through the schema', () => {
    const r = backline(['sim', 'mmc', '--json', ...quick, '--set', 'services.server.workers=8']);
    expect(JSON.parse(r.stdout).services.server.utilization).toBeLessThan(0.45);
  });

  it('reports a bad scenario as file:line:col and exits 2 without a stack trace', () => {
    const file = join(tmpdir(), `backline-bad-${process.pid}.yaml`);
    writeFileSync(
      file,
      'name: bad\nduration: 10s\nusers:\n  arrivals: poisson(-1/s)\n  journeys:\n    a: { steps: [sever] }\nservices:\n  server: { replica: 2, time: exp(1ms) }\n',
    );
    const r = backline(['sim', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:4:`);
    expect(r.stderr).toMatch(/did you mean `replicas`\?/);
    expect(r.stderr).toMatch(/did you mean `server`\?/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a missing file, an unknown catalog name and a bad option', () => {
    expect(backline(['sim', 'no/such/file.yaml']).code).toBe(2);
    const unknown = backline(['sim', 'mcc']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/mmc/);
    const seed = backline(['sim', 'mmc', '--seed', 'x']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--seed expects an integer/);
    expect(backline(['sim']).code).toBe(2);
  });
});
