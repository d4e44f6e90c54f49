/**
 * The test suite never records into the repository's `.backline/history.db`, and `history` trends
 * compare only runs of the same scenario hash (after `--set`) and seed (issue 14).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY, formatHistory, historyPath } from '../../cli/commands/history.js';
import { type HistoryRun, HistoryStore, trends } from '../../results/history.js';
import { backline, ROOT } from '../cli.js';

const repoDb = join(ROOT, DEFAULT_HISTORY);
const stamp = (p: string) => (existsSync(p) ? `${statSync(p).size}@${statSync(p).mtimeMs}` : 'absent');

describe('history during tests', () => {
  it('goes to BACKLINE_HISTORY (a temporary file), and a CLI run leaves the repository database untouched', () => {
    const temp = process.env.BACKLINE_HISTORY ?? '';
    expect(temp.startsWith(join(ROOT, '.backline'))).toBe(false);
    expect(historyPath(undefined)).toBe(temp);
    expect(historyPath('x.db')).toBe('x.db');
    expect(historyPath(false)).toBeUndefined();
    const before = [stamp(repoDb), stamp(`${repoDb}-wal`)];
    const r = backline(['sim', 'mmc', '--replications', '1', '--set', 'duration=2000s', '--json']);
    expect(r.code).toBe(0);
    expect([stamp(repoDb), stamp(`${repoDb}-wal`)]).toEqual(before);
    const store = HistoryStore.open(temp);
    try {
      expect(store.list('mmc', 1000).some((run) => run.command === 'sim')).toBe(true);
    } finally {
      store.close();
    }
  });
});

function run(id: number, hash: string, seed: number | null, p99: number): HistoryRun {
  return {
    id,
    scenario: 's',
    hash,
    kind: 'sim',
    command: 'sim',
    at: `2026-12-02T10:0${id}:00.000Z`,
    seed,
    replications: 1,
    exitCode: 0,
    partial: false,
    budgetsFailed: 0,
    outDir: null,
    journeys: [{ name: 'j', count: 10, errorRate: 0, throughput: 1, mean: 1, p50: 1, p99 }],
  };
}

describe('history trends', () => {
  it('skip runs with another seed or hash and compare with the last run of the same ones', () => {
    const runs = [run(1, 'h1', 1, 100), run(2, 'h1', 2, 500), run(3, 'h2', 1, 10), run(4, 'h1', 1, 99.5)];
    // Before this fix run 4 was compared with run 3 (another hash): 99.5 vs 10 → ↑.
    expect(trends(runs, 3)).toEqual({ j: '→' });
    expect(trends(runs, 1)).toEqual({ j: '≠' });
    expect(trends(runs, 2)).toEqual({ j: '≠' });
    expect(trends(runs, 0)).toEqual({ j: '·' });
    expect(trends([...runs, run(5, 'h2', 1, 20)], 4)).toEqual({ j: '↑' });
  });

  it('do not compare runs with another number of replications (a --replications override) or another kind', () => {
    const one = run(1, 'h1', 1, 100);
    const three = { ...run(2, 'h1', 1, 98), replications: 3 };
    // Measured: `sim mmc` p99 6799.4 ms with 1 replication, 6709.2 ms with 3; the trend said ↓.
    expect(trends([one, three], 1)).toEqual({ j: '≠' });
    expect(trends([one, three, { ...run(3, 'h1', 1, 97.5), replications: 3 }], 2)).toEqual({ j: '→' });
    expect(trends([one, { ...run(2, 'h1', 1, 50), kind: 'load' }], 1)).toEqual({ j: '≠' });
  });

  it('say in the legend what ≠ means', async () => {
    const text = await formatHistory([run(1, 'h1', 1, 100), run(2, 'h1', 2, 100)]);
    expect(text).toMatch(/100\.0 ≠/);
    expect(text).toContain('≠ earlier runs differ in hash, seed or replications: not compared');
  });
});
