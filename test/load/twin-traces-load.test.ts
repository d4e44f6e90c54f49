/**
 * `backline load --twin --traces <file>`: the built CLI loads the twin and writes the twin's spans
 * as Zipkin v2 JSON when it stops, through the same code as `serve --traces` (cli/twin-traces.ts).
 * The load generator sends no `traceparent`, so every journey request is a trace rooted at the
 * twin's edge: the file holds exactly one trace per request measured (warm-up 0), with the
 * journey's spans and services, and `backline calibrate`'s trace reader reads it back. Ctrl-C keeps
 * what was traced, and so does a generator that dies mid-run; a path that cannot be written exits 2
 * before any load; a FIFO is written through.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTraces } from '../../results/calibrate/read-traces.js';
import type { RunResult } from '../../results/run-result.js';
import { type ZipkinSpan, zipkinSpanProblems } from '../../sim/topology/traces.js';
import { backline, backlineAsync, ROOT } from '../cli.js';

const FIXTURE = 'test/metrics/fixtures/twin-trace.yaml';
/** What one request of each journey makes in the twin: spans per trace and the services on them. */
const SHAPE: Record<string, { spans: number; services: string[] }> = {
  // edge → api; api → catalog → storage, then reviews and pricing in parallel: SERVER + CLIENT pairs.
  browse: { spans: 11, services: ['api', 'catalog', 'edge', 'pricing', 'reviews', 'storage'] },
  price: { spans: 3, services: ['edge', 'pricing'] },
  tiny: { spans: 3, services: ['edge', 'tiny'] },
};
/** A short open-model run with no warm-up, so every request sent is measured and traced. */
const LOAD = ['load', FIXTURE, '--twin', '--rate', '20', '--warmup', '0', '--allow-late', '--seed', '5'];

/** The traces of a Zipkin file, keyed by journey (the name of the edge's root span). */
function tracesByJourney(spans: ZipkinSpan[]): Map<string, ZipkinSpan[][]> {
  const traces = new Map<string, ZipkinSpan[]>();
  for (const s of spans) traces.set(s.traceId, [...(traces.get(s.traceId) ?? []), s]);
  const out = new Map<string, ZipkinSpan[][]>();
  for (const t of traces.values()) {
    const roots = t.filter((s) => s.parentId === undefined);
    expect(roots).toHaveLength(1);
    expect(roots[0].localEndpoint.serviceName).toBe('edge');
    out.set(roots[0].name, [...(out.get(roots[0].name) ?? []), t]);
  }
  return out;
}

/** Requests the result counts per journey (`count` holds the failed ones too). */
function requests(r: RunResult): Record<string, number> {
  return Object.fromEntries(Object.entries(r.journeys).map(([j, s]) => [j, s.count]));
}

describe('load --twin --traces <file>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backline-load-traces-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one trace per measured request, shaped as its journey, that calibrate reads back', async () => {
    // A hostile but legal file name: a quote and a line break.
    const file = join(dir, 'spans "a"\nb.json');
    const run = await backlineAsync([...LOAD, '--duration', '2s', '--json', '--traces', file]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as RunResult;
    const spans = JSON.parse(readFileSync(file, 'utf8')) as ZipkinSpan[];
    expect(run.stderr).toContain(`${spans.length} spans → ${file}\n`);
    for (const s of spans) expect(zipkinSpanProblems(s)).toEqual([]);
    const byJourney = tracesByJourney(spans);
    const sent = requests(result);
    // About 40 requests in 2 s at 20/s; browse is 90 % of them.
    expect(sent.browse).toBeGreaterThan(20);
    for (const [journey, n] of Object.entries(sent)) {
      const traces = byJourney.get(journey) ?? [];
      expect(traces.length, journey).toBe(n);
      for (const t of traces) {
        expect(t.length, journey).toBe(SHAPE[journey].spans);
        expect([...new Set(t.map((s) => s.localEndpoint.serviceName))].sort(), journey).toEqual(
          SHAPE[journey].services,
        );
      }
    }
    expect([...byJourney.keys()].every((j) => j in sent)).toBe(true);
    // calibrate's reader: every span read; one api SERVER span (a self time) per browse request.
    const read = readTraces(file);
    expect(read.format).toBe('zipkin');
    expect(read.spans).toBe(spans.length);
    const api = read.perService.get('api')!;
    expect(api.self.length + api.nonPositive).toBe(sent.browse);
    expect(read.perService.get('storage')!.self.length + read.perService.get('storage')!.nonPositive).toBe(
      sent.browse,
    );
  }, 60_000);

  // Before: the twin's process sent its spans in one message and disconnected at once, which
  // dropped the queued write: 600 requests (about 6 000 spans) left no file at all.
  it('hands over more spans than one IPC message carries (5 000), every one of them', async () => {
    const file = join(dir, 'many.json');
    const load = LOAD.map((a) => (a === '20' ? '300' : a));
    const run = await backlineAsync([...load, '--duration', '2s', '--json', '--traces', file]);
    expect(run.code, run.stderr).toBe(0);
    const spans = JSON.parse(readFileSync(file, 'utf8')) as ZipkinSpan[];
    expect(spans.length).toBeGreaterThan(5000);
    expect(new Set(spans.map((s) => s.id)).size).toBe(spans.length);
    const sent = requests(JSON.parse(run.stdout) as RunResult);
    const byJourney = tracesByJourney(spans);
    for (const [journey, n] of Object.entries(sent))
      expect(byJourney.get(journey)?.length ?? 0, journey).toBe(n);
  }, 60_000);

  it('keeps what was traced when Ctrl-C stops the load early', async () => {
    const file = join(dir, 'stopped.json');
    const out = join(dir, 'stopped-out');
    const child = spawn(
      process.execPath,
      [`${ROOT}dist/cli/main.js`, ...LOAD, '--duration', '60s', '--traces', file, '--out', out],
      { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let stderr = '';
    let stdout = '';
    child.stdout!.on('data', (c) => (stdout += c));
    const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
    // A progress line every 3 s says how many were sent: stop once 20 or more were.
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (c) => {
        stderr += c;
        const sent = [...stderr.matchAll(/ sent (\d+) /g)].map((m) => Number(m[1]));
        if (sent.some((n) => n >= 20)) resolve();
      });
      void exited.then(() => resolve());
    });
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(stdout).toContain('stopped early after');
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    expect(result.partial).toBe(true);
    const spans = JSON.parse(readFileSync(file, 'utf8')) as ZipkinSpan[];
    expect(stderr).toContain(`${spans.length} spans → ${file}\n`);
    const byJourney = tracesByJourney(spans);
    const sent = requests(result);
    expect(sent.browse).toBeGreaterThan(5);
    // Requests in flight at the stop may reach the twin without being counted as measured: at
    // 20/s and ~0.1 s each, a handful at most.
    const traced = [...byJourney.values()].reduce((a, t) => a + t.length, 0);
    const measured = Object.values(sent).reduce((a, b) => a + b, 0);
    expect(traced).toBeGreaterThanOrEqual(measured);
    expect(traced).toBeLessThanOrEqual(measured + 10);
  }, 90_000);

  it('writes the spans through a FIFO to its reader', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(reader);
    let read = '';
    reader.stdout!.on('data', (c) => (read += c));
    const done = new Promise<void>((r) => reader.once('close', () => r()));
    const run = await backlineAsync([...LOAD, '--duration', '1s', '--json', '--traces', fifo]);
    expect(run.code, run.stderr).toBe(0);
    await done;
    const spans = JSON.parse(read) as ZipkinSpan[];
    expect(spans.length).toBeGreaterThan(0);
    expect(run.stderr).toContain(`${spans.length} spans → ${fifo}\n`);
    const result = JSON.parse(run.stdout) as RunResult;
    expect(tracesByJourney(spans).get('browse')?.length).toBe(requests(result).browse);
  }, 60_000);

  it('still writes the file when the run fails after the twin started (the failure is what exits)', () => {
    // The generator dies mid-run: a `k6` on PATH that sends three browse requests to the twin and
    // exits 107 (k6's code for a script error). The spans of those three are kept; exit 3 is k6's
    // failure. (A missing k6 no longer serves here: it is refused before the twin starts.)
    const file = join(dir, 'failed.json');
    const bin = join(dir, 'bin-dying-k6');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(join(bin, 'node'))) symlinkSync(process.execPath, join(bin, 'node'));
    const send =
      'const go = async () => { for (let i = 0; i < 3; i++) await (await fetch(process.env.TARGET + "/journeys/browse")).text(); process.exit(107); }; go();';
    writeFileSync(
      join(bin, 'k6'),
      `#!/bin/sh\nif [ "$1" = version ]; then echo k6 v1.0.0; exit 0; fi\nexec node -e '${send}'\n`,
      { mode: 0o755 },
    );
    const run = backline([...LOAD, '--duration', '1s', '--tool', 'k6', '--traces', file], { PATH: bin });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('twin serving');
    expect(run.stderr).toContain('k6 run failed with exit code 107');
    const spans = JSON.parse(readFileSync(file, 'utf8')) as ZipkinSpan[];
    expect(spans).toHaveLength(3 * SHAPE.browse.spans);
    expect(run.stderr).toContain(`${spans.length} spans → ${file}\n`);
    const byJourney = tracesByJourney(spans);
    expect([...byJourney.keys()]).toEqual(['browse']);
    expect(byJourney.get('browse')!.map((t) => t.length)).toEqual([11, 11, 11]);
  });

  it('refuses an unwritable --traces path with exit 2 before the twin starts or any load', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const cases: [string, string][] = [
      [folder, `cannot write ${folder}: it is a directory`],
      [join(dir, 'missing', 'spans.json'), `cannot write ${join(dir, 'missing', 'spans.json')}: `],
    ];
    for (const [path, message] of cases) {
      const run = backline([...LOAD, '--duration', '30s', '--traces', path]);
      expect(run.code, path).toBe(2);
      expect(run.stderr, path).toContain(message);
      expect(run.stderr, path).not.toContain('twin serving');
      expect(run.stderr, path).not.toMatch(/\n\s+at /); // no stack trace
      expect(run.stdout, path).toBe('');
    }
  });

  it('refuses --traces and --trace-sample without --twin (exit 2, nothing loaded)', () => {
    const file = join(dir, 'never.json');
    const a = backline(['load', FIXTURE, '--target', 'http://127.0.0.1:9', '--traces', file]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("--traces is about the twin's spans and needs --twin");
    const b = backline(['load', FIXTURE, '--target', 'http://127.0.0.1:9', '--trace-sample', '10%']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("--trace-sample is about the twin's spans and needs --twin");
    expect(() => readFileSync(file)).toThrow();
  });
});
