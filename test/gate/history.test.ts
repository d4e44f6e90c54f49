/**
 * Run history in real SQLite: rows after runs (through the CLI and the store), trend arrows, and a
 * database that survives a writer killed with SIGKILL in the middle of its transactions.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore, trends } from '../../results/history.js';
import type { RunResult } from '../../results/run-result.js';
import { backline, ROOT } from '../cli.js';
import { journey } from '../reports/fixture.js';

const GATED = join(ROOT, 'test/gate/fixtures/gated.yaml');
let dir: string;

beforeAll(() => {
  // Keep this project's own CI job summary clean: only the test that asks for it gets one.
  delete process.env.GITHUB_STEP_SUMMARY;
  dir = mkdtempSync(join(tmpdir(), 'backline-history-'));
});

function result(name: string, p99Scale: number): RunResult {
  const j = journey(2000, 10 * p99Scale, 3);
  return {
    version: 1,
    kind: 'sim',
    scenario: { name, hash: 'h' },
    seed: 1,
    replications: 1,
    window: { start: 0, end: 100 },
    journeys: { play: j, search: journey(500, 5, 4) },
    budgets: [{ expr: 'play.p99 < 1ms', value: j.latency.p99, limit: 1, pass: false }],
  };
}

describe('run history', () => {
  it('records sim and check runs from the CLI and lists them with p99 trends', () => {
    const db = join(dir, 'cli.db');
    const a = backline([
      'sim',
      GATED,
      '--history',
      db,
      '--replications',
      '1',
      '--set',
      'services.server.workers=5',
      '--out',
      join(dir, 'sim-out'),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain(join(dir, 'sim-out', 'report.html'));
    expect(readdirSync(join(dir, 'sim-out')).sort()).toEqual([
      'junit.xml',
      'report.html',
      'result.json',
      'summary.md',
    ]);
    const b = backline(['check', GATED, '--history', db, '--replications', '1', '--out', join(dir, 'out')]);
    expect(b.code, b.stderr).toBe(0);
    expect(
      backline(['sim', GATED, '--history', join(dir, 'never.db'), '--replications', '1', '--no-history'])
        .code,
    ).toBe(0);
    expect(existsSync(join(dir, 'never.db'))).toBe(false);

    const h = backline(['history', 'gated', '--history', db]);
    expect(h.code).toBe(0);
    const lines = h.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^run\s+when \(UTC\)\s+scenario\s+command\s+seed\s+reps\s+verdict\s+req p99 ms$/,
    );
    expect(lines[1]).toMatch(/^1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+gated\s+sim\s+1\s+1\s+pass\s+[\d.]+ ·$/);
    // Four workers instead of five is another scenario (another hash): not compared, though p99 rose.
    expect(lines[2]).toMatch(/^2\s+\S+ \S+\s+gated\s+check\s+1\s+1\s+pass\s+[\d.]+ ≠$/);
    expect(lines).toHaveLength(5);

    const store = HistoryStore.open(db);
    const runs = store.list('gated');
    store.close();
    expect(runs.map((r) => [r.command, r.exitCode, r.journeys.map((j) => j.name)])).toEqual([
      ['sim', 0, ['req']],
      ['check', 0, ['req']],
    ]);
    expect(runs[1].journeys[0].p99).toBeGreaterThan(runs[0].journeys[0].p99);
    expect(runs[1].outDir).toBe(join(dir, 'out'));
  });

  it('keeps runs per scenario, in order, with arrows against the previous run of the same scenario', () => {
    const store = HistoryStore.open(join(dir, 'unit.db'));
    const at = '2026-11-28T10:00:00.000Z';
    store.record(result('a', 1), { command: 'sim', at, exitCode: 1 });
    store.record(result('b', 5), { command: 'sim', at });
    store.record(result('a', 2), { command: 'check', at, exitCode: 1 });
    store.record(result('a', 2), { command: 'check', at, exitCode: 1 });
    store.record(result('a', 0.5), { command: 'run', at, exitCode: 0 });
    const all = store.list();
    expect(all.map((r) => r.scenario)).toEqual(['a', 'b', 'a', 'a', 'a']);
    expect(all.map((_, i) => trends(all, i).play)).toEqual(['·', '·', '↑', '→', '↓']);
    const a = store.list('a', 2);
    expect(a.map((r) => r.command)).toEqual(['check', 'run']);
    expect(a[0].budgetsFailed).toBe(1);
    expect(a[0].journeys.map((j) => j.name)).toEqual(['play', 'search']);
    expect(store.count()).toBe(5);
    expect(store.integrity()).toBe('ok');
    store.close();
  });

  it('stays intact with every earlier run after its writer is SIGKILLed mid-write', async () => {
    const db = join(dir, 'killed.db');
    // The writer records runs of 300 journeys each, one transaction per run, forever.
    const script = `
      import { HistoryStore } from ${JSON.stringify(join(ROOT, 'dist/results/history.js'))};
      const store = HistoryStore.open(${JSON.stringify(db)});
      const journeys = {};
      for (let k = 0; k < 300; k++) journeys['j' + k] = { count: 1, errorRate: 0, throughput: 1, latency: { mean: k, p50: k, p99: k } };
      const r = { version: 1, kind: 'sim', scenario: { name: 'killed', hash: 'h' }, window: { start: 0, end: 1 }, journeys, budgets: [] };
      for (let i = 1; ; i++) {
        store.record(r, { command: 'sim', at: new Date().toISOString() });
        if (i % 10 === 0) process.stdout.write(i + '\\n');
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const reported = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d) => {
        buf += d;
        const last = Number(buf.trim().split('\n').pop());
        if (last >= 50) resolve(last);
      });
      child.on('exit', () => reject(new Error(`writer exited early: ${stderr}`)));
    });
    const exited = new Promise((r) => child.on('exit', (_code, signal) => r(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = HistoryStore.open(db);
    expect(store.integrity()).toBe('ok');
    const n = store.count();
    expect(n).toBeGreaterThanOrEqual(reported);
    const runs = store.list('killed', 1_000_000);
    expect(runs.map((r) => r.id)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    // Every run is whole: the transaction either committed all 300 journeys or none.
    for (const r of runs) expect(r.journeys).toHaveLength(300);
    store.close();
    // The raw file agrees, read without our code.
    const raw = new Database(db, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((raw.prepare('SELECT COUNT(*) AS n FROM journeys').get() as { n: number }).n).toBe(n * 300);
    raw.close();
  });
});
