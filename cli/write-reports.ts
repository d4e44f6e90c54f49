/**
 * Writes a run's reports (`result.json`, `report.html`, `junit.xml`, `summary.md`) into a folder,
 * each by the rules of `write-file.ts` (atomic replace of regular files; never renamed over a
 * device, FIFO or symlink), so a reader (or a killed process) never sees half a file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { renderHtml } from '../reports/html.js';
import { renderJson } from '../reports/json.js';
import { renderJunit } from '../reports/junit.js';
import { renderMarkdown } from '../reports/markdown.js';
import type { Comparison } from '../results/compare.js';
import { RunError } from '../results/errors.js';
import type { RunResult } from '../results/run-result.js';
import { writeFileSafely } from './write-file.js';

export { writeAtomic } from './write-file.js';

/** Options of {@link writeReports}. */
export interface WriteReportsOptions {
  /** Target folder (default: {@link defaultOutDir}). */
  outDir?: string;
  /** Scenario name for the default folder (anything else falls back to the result's scenario name). */
  scenario?: unknown;
  /** A second result drawn as "predicted" beside this one. */
  predicted?: RunResult;
  /** A sweep to draw as heatmaps (see `SweepData` in reports/html/sweep.ts). */
  sweep?: unknown;
  /** A comparison against a baseline, shown in the summary and as JUnit testcases. */
  comparison?: Comparison;
  /** Wall seconds the run took, for junit.xml's suite time. */
  wallSeconds?: number;
}

/** The files every run writes, in this order. */
export const REPORT_FILES = ['result.json', 'report.html', 'junit.xml', 'summary.md'] as const;

/**
 * `out/<scenario>-<run id>`, the run id being the UTC time to the second plus the first 8 hex
 * digits of the result's hash; a counter is appended in the rare case the folder exists.
 */
export function defaultOutDir(scenario: string, result: RunResult, root = 'out', now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const hash = createHash('sha256').update(JSON.stringify(result)).digest('hex').slice(0, 8);
  const safe = scenario.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'scenario';
  const base = join(root, `${safe}-${stamp}-${hash}`);
  let dir = base;
  for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`;
  return dir;
}

/**
 * Some reports could not be written (a full disk, a read-only folder). The run failed (exit 3),
 * but every file that could be written was, and `written` lists them.
 */
export class ReportsNotWrittenError extends RunError {
  readonly written: string[];
  constructor(message: string, written: string[]) {
    super(message);
    this.written = written;
  }
}

/**
 * Renders and writes the reports of `result`; returns the absolute paths written. Each file is
 * tried even when an earlier one failed, `result.json` first because it holds everything; any
 * failure is then thrown as a {@link ReportsNotWrittenError}.
 */
export function writeReports(result: RunResult, opts: WriteReportsOptions): string[] {
  const name = typeof opts.scenario === 'string' ? opts.scenario : (result.scenario?.name ?? 'scenario');
  const dir = resolve(opts.outDir ?? defaultOutDir(name, result));
  const files: [string, string][] = [
    ['result.json', renderJson(result)],
    ['report.html', renderHtml(result, { predicted: opts.predicted, sweep: opts.sweep })],
    ['junit.xml', renderJunit(result, { comparison: opts.comparison, wallSeconds: opts.wallSeconds })],
    ['summary.md', renderMarkdown(result, { comparison: opts.comparison, predicted: opts.predicted })],
  ];
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new ReportsNotWrittenError(`cannot write the reports to ${dir}: ${(err as Error).message}`, []);
  }
  const written: string[] = [];
  const failed: string[] = [];
  let reason = '';
  for (const [name, text] of files) {
    const path = join(dir, name);
    try {
      writeFileSafely(path, text);
      written.push(path);
    } catch (err) {
      failed.push(name);
      reason ||= (err as Error).message;
    }
  }
  if (failed.length > 0) {
    const kept = written.length > 0 ? `; written: ${written.map((p) => basename(p)).join(', ')}` : '';
    throw new ReportsNotWrittenError(
      `cannot write ${failed.join(', ')} to ${dir}: ${reason}${kept}`,
      written,
    );
  }
  return written;
}

/**
 * {@link writeReports} for a command that has just measured something: a failure is returned, not
 * thrown, so the command can still print and record what it measured before it exits 3. When not
 * even `result.json` was written and stdout does not carry the result already, the RunResult is
 * printed there, so nothing measured is lost to a full disk.
 */
export function writeReportsKeeping(
  result: RunResult,
  opts: WriteReportsOptions & { resultOnStdout: boolean },
  stdout: NodeJS.WritableStream = process.stdout,
): { paths: string[]; error?: ReportsNotWrittenError } {
  try {
    return { paths: writeReports(result, opts) };
  } catch (err) {
    if (!(err instanceof ReportsNotWrittenError)) throw err;
    if (!opts.resultOnStdout && !err.written.some((p) => basename(p) === 'result.json'))
      stdout.write(`\nresult.json could not be written; the RunResult follows:\n${renderJson(result)}`);
    return { paths: err.written, error: err };
  }
}
