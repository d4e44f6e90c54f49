/**
 * `k6 run` as a child process: writes the generated script to a private temporary directory,
 * runs it with `--summary-export` and `--out json`, and imports both. k6 must be on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../results/run-result.js';
import { ToolError } from '../errors.js';
import { K6PointsImport, type LineIssue } from './import.js';
import { parseK6Summary } from './summary.js';

/** The k6 binary on PATH, or undefined. */
export function findK6(): string | undefined {
  const r = spawnSync('k6', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? 'k6' : undefined;
}

/** Throws the `E_RUN` error saying how to get k6 when it is not on PATH. */
export function requireK6(): void {
  if (!findK6())
    throw new ToolError(
      'k6 is not installed or not on PATH: install it from https://grafana.com/docs/k6/latest/set-up/install-k6/ ' +
        'or run `backline k6 <scenario> --out script.ts` and run the script elsewhere',
    );
}

/** Options of a k6 run. */
export interface K6RunOptions {
  script: string;
  /** Files the script `open()`s, written beside it (its feeds). */
  files?: Record<string, string>;
  /** The real target (passed to k6 through the environment, never argv: `ps` shows argv). */
  target: string;
  /** The target as results may show it (credentials and secrets masked). */
  display: string;
  scenario: string;
  hash: string;
  /** Where k6's own output goes (default: inherit stderr). */
  log?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

/** Runs k6 and imports its outputs; thresholds k6 evaluated come back in `k6Thresholds`. */
export async function runK6(o: K6RunOptions): Promise<{
  result: RunResult;
  issues: LineIssue[];
  k6Thresholds: Record<string, Record<string, boolean>>;
}> {
  requireK6();
  const dir = await mkdtemp(join(tmpdir(), 'backline-k6-'));
  try {
    const script = join(dir, 'script.ts');
    await writeFile(script, o.script);
    for (const [name, text] of Object.entries(o.files ?? {})) await writeFile(join(dir, name), text);
    const summary = join(dir, 'summary-export.json');
    const points = join(dir, 'points.ndjson');
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        'k6',
        ['run', '--summary-export', summary, '--out', `json=${points}`, script],
        // k6 run copies the process environment into __ENV.
        {
          cwd: dir,
          stdio: ['ignore', 'pipe', 'pipe'],
          signal: o.signal,
          env: { ...process.env, TARGET: o.target },
        },
      );
      child.stdout.pipe(o.log ?? process.stderr, { end: false });
      child.stderr.pipe(o.log ?? process.stderr, { end: false });
      child.on('error', reject);
      child.on('close', (c) => resolve(c ?? 1));
    });
    // 99 = thresholds failed: the run itself is fine, the verdict comes from the budgets.
    if (code !== 0 && code !== 99) throw new ToolError(`k6 run failed with exit code ${code}`);
    const imp = new K6PointsImport();
    imp.addNdjson(await readFile(points, 'utf8'), 'points.ndjson');
    const s = parseK6Summary(await readFile(summary, 'utf8'), 'summary-export.json');
    return {
      result: imp.result({ scenario: o.scenario, hash: o.hash, target: o.display }),
      issues: imp.issues,
      k6Thresholds: s.thresholds,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
