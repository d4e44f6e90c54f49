/**
 * Writes a run's reports (`result.json`, `report.html`, `junit.xml`, `summary.md`) into a folder,
 * each atomically: written to a temporary file beside it, flushed, then renamed over the target,
 * so a reader (or a killed process) never sees half a file.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { renderHtml } from '../reports/html.js';
import { renderJson } from '../reports/json.js';
import { renderJunit } from '../reports/junit.js';
import { renderMarkdown } from '../reports/markdown.js';
import type { Comparison } from '../results/compare.js';
import { RunError } from '../results/errors.js';
import type { RunResult } from '../results/run-result.js';

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

/** Writes `text` to `path` atomically (temporary file, fsync, rename). */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Renders and writes the reports of `result`; returns the absolute paths written. Failing to write
 * is the run failing (exit 3), reported as a {@link RunError}.
 */
export function writeReports(result: RunResult, opts: WriteReportsOptions): string[] {
  const name = typeof opts.scenario === 'string' ? opts.scenario : (result.scenario?.name ?? 'scenario');
  const dir = resolve(opts.outDir ?? defaultOutDir(name, result));
  const files: [string, string][] = [
    ['result.json', renderJson(result)],
    ['report.html', renderHtml(result, { predicted: opts.predicted, sweep: opts.sweep })],
    ['junit.xml', renderJunit(result, { comparison: opts.comparison })],
    ['summary.md', renderMarkdown(result, { comparison: opts.comparison, predicted: opts.predicted })],
  ];
  try {
    mkdirSync(dir, { recursive: true });
    return files.map(([name, text]) => {
      const path = join(dir, name);
      writeAtomic(path, text);
      return path;
    });
  } catch (err) {
    throw new RunError(`cannot write the reports to ${dir}: ${(err as Error).message}`);
  }
}
