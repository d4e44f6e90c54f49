/**
 * Run history in SQLite (better-sqlite3): one row per run and one per journey of it, so trends
 * ("p99 up since the previous run") can be listed per scenario.
 *
 * Durability: the database runs in WAL mode with `synchronous = NORMAL` and every run is written in
 * one transaction, so a process killed mid-write leaves either the whole run or none of it, and
 * the earlier runs intact (SQLite replays or discards the WAL on the next open).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { RunError } from './errors.js';
import type { RunResult } from './run-result.js';

/** What a caller adds about a run beyond the result. */
export interface RunMeta {
  /** The command that produced it: `sim`, `check`, `run`, `load`. */
  command: string;
  /** ISO time the run finished (wall clock; supplied by the caller so this module stays pure of it). */
  at: string;
  /** The process exit code the command returned, when known. */
  exitCode?: number;
  /** Where its reports were written, if anywhere. */
  outDir?: string;
}

/** A journey of a recorded run. */
export interface HistoryJourney {
  name: string;
  count: number;
  errorRate: number;
  throughput: number;
  mean: number;
  p50: number;
  p99: number;
}

/** A recorded run. */
export interface HistoryRun {
  id: number;
  scenario: string;
  hash: string;
  kind: string;
  command: string;
  at: string;
  seed: number | null;
  replications: number;
  exitCode: number | null;
  partial: boolean;
  budgetsFailed: number;
  outDir: string | null;
  journeys: HistoryJourney[];
}

/**
 * `↑` p99 rose, `↓` fell, `→` within 1 %; `·` no earlier run of the scenario, `≠` earlier runs exist
 * but none with the same hash (scenario after overrides) and seed, so none is comparable.
 */
export type Trend = '↑' | '↓' | '→' | '·' | '≠';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scenario TEXT NOT NULL,
  hash TEXT NOT NULL,
  kind TEXT NOT NULL,
  command TEXT NOT NULL,
  at TEXT NOT NULL,
  seed INTEGER,
  replications INTEGER NOT NULL,
  exit_code INTEGER,
  partial INTEGER NOT NULL,
  budgets_failed INTEGER NOT NULL,
  out_dir TEXT
);
CREATE INDEX IF NOT EXISTS runs_scenario ON runs (scenario, id);
CREATE TABLE IF NOT EXISTS journeys (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  count INTEGER NOT NULL,
  error_rate REAL NOT NULL,
  throughput REAL NOT NULL,
  mean REAL NOT NULL,
  p50 REAL NOT NULL,
  p99 REAL NOT NULL,
  PRIMARY KEY (run_id, name)
);
`;

interface RunRow {
  id: number;
  scenario: string;
  hash: string;
  kind: string;
  command: string;
  at: string;
  seed: number | null;
  replications: number;
  exit_code: number | null;
  partial: number;
  budgets_failed: number;
  out_dir: string | null;
}

interface JourneyRow {
  run_id: number;
  name: string;
  count: number;
  error_rate: number;
  throughput: number;
  mean: number;
  p50: number;
  p99: number;
}

/** The history database. Open with {@link HistoryStore.open}; close when done. */
export class HistoryStore {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating folders and tables as needed) the database at `path`. */
  static open(path: string): HistoryStore {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      return new HistoryStore(db);
    } catch (err) {
      throw new RunError(`cannot open the run history at ${path}: ${(err as Error).message}`);
    }
  }

  /** Records a run and its journeys in one transaction; returns the run id. */
  record(result: RunResult, meta: RunMeta): number {
    const insertRun = this.db.prepare(
      `INSERT INTO runs (scenario, hash, kind, command, at, seed, replications, exit_code, partial, budgets_failed, out_dir)
       VALUES (@scenario, @hash, @kind, @command, @at, @seed, @replications, @exit_code, @partial, @budgets_failed, @out_dir)`,
    );
    const insertJourney = this.db.prepare(
      `INSERT INTO journeys (run_id, name, count, error_rate, throughput, mean, p50, p99)
       VALUES (@run_id, @name, @count, @error_rate, @throughput, @mean, @p50, @p99)`,
    );
    const tx = this.db.transaction((): number => {
      const info = insertRun.run({
        scenario: result.scenario.name,
        hash: result.scenario.hash,
        kind: result.kind,
        command: meta.command,
        at: meta.at,
        seed: result.seed ?? null,
        replications: result.replications ?? 1,
        exit_code: meta.exitCode ?? null,
        partial: result.partial ? 1 : 0,
        budgets_failed: result.budgets.filter((b) => b.pass === false).length,
        out_dir: meta.outDir ?? null,
      });
      const runId = Number(info.lastInsertRowid);
      for (const [name, j] of Object.entries(result.journeys)) {
        insertJourney.run({
          run_id: runId,
          name,
          count: j.count,
          error_rate: j.errorRate,
          throughput: j.throughput,
          mean: j.latency.mean,
          p50: j.latency.p50,
          p99: j.latency.p99,
        });
      }
      return runId;
    });
    return tx();
  }

  /** Runs, oldest first, optionally of one scenario only; `limit` keeps the most recent ones. */
  list(scenario?: string, limit = 1000): HistoryRun[] {
    const rows = (
      scenario === undefined
        ? this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM runs WHERE scenario = ? ORDER BY id DESC LIMIT ?')
            .all(scenario, limit)
    ) as RunRow[];
    rows.reverse();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const js = this.db
      .prepare(`SELECT * FROM journeys WHERE run_id >= ? AND run_id <= ? ORDER BY run_id, rowid`)
      .all(ids[0], ids[ids.length - 1]) as JourneyRow[];
    const byRun = new Map<number, HistoryJourney[]>();
    for (const j of js) {
      const list = byRun.get(j.run_id) ?? [];
      list.push({
        name: j.name,
        count: j.count,
        errorRate: j.error_rate,
        throughput: j.throughput,
        mean: j.mean,
        p50: j.p50,
        p99: j.p99,
      });
      byRun.set(j.run_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      scenario: r.scenario,
      hash: r.hash,
      kind: r.kind,
      command: r.command,
      at: r.at,
      seed: r.seed,
      replications: r.replications,
      exitCode: r.exit_code,
      partial: r.partial === 1,
      budgetsFailed: r.budgets_failed,
      outDir: r.out_dir,
      journeys: byRun.get(r.id) ?? [],
    }));
  }

  /** Number of recorded runs. */
  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
  }

  /** SQLite's own `PRAGMA integrity_check` verdict (`ok` when the file is sound). */
  integrity(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The p99 trend of each journey of `runs[i]` against the latest earlier run in `runs` (oldest first)
 * of the same scenario with the same hash, seed, replications and kind: another seed, `--set` or
 * `--replications` (3 replications pool a different p99 than 1), or a load run beside a simulation,
 * measures something else, so such a run is never the baseline. Within 1 % counts as flat.
 */
export function trends(runs: readonly HistoryRun[], i: number): Record<string, Trend> {
  const run = runs[i];
  const earlier = runs.slice(0, i).filter((r) => r.scenario === run.scenario);
  const prev = earlier.findLast(
    (r) =>
      r.hash === run.hash &&
      r.seed === run.seed &&
      r.replications === run.replications &&
      r.kind === run.kind,
  );
  const out: Record<string, Trend> = {};
  for (const j of run.journeys) {
    const before = prev?.journeys.find((p) => p.name === j.name);
    if (!before) out[j.name] = earlier.length > 0 && !prev ? '≠' : '·';
    else if (j.p99 > before.p99 * 1.01) out[j.name] = '↑';
    else if (j.p99 < before.p99 * 0.99) out[j.name] = '↓';
    else out[j.name] = '→';
  }
  return out;
}
