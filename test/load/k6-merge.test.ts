import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { expandInputs, readInput } from '../../loadtests/k6/inputs.js';
import { classifyInput, mergeOutputs } from '../../loadtests/k6/merge.js';
import { UsageError } from '../../results/errors.js';
import { backline } from '../cli.js';

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (f: string) => readFileSync(join(FIX, f), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'backline-k6-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` (gzipped when the name ends in .gz) into a fresh sub-directory; returns the path. */
function put(name: string, text: string | Buffer, sub = ''): string {
  mkdirSync(join(dir, sub), { recursive: true });
  const p = join(dir, sub, name);
  writeFileSync(p, name.endsWith('.gz') && typeof text === 'string' ? gzipSync(text) : text);
  return p;
}
const merge = (files: string[]) =>
  mergeOutputs(
    files.map((file) => classifyInput({ file, text: readInput(file) })),
    { scenario: 's', hash: 'h' },
  );
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

// By hand from the fixtures: runner a has play 1..50 ms ok plus 4 failures (refused, 2×503,
// timeout) and one broken line (157); runner b has play 51..100 ms and search 201..210 ms.
// Window: first start 10:00:00.020 − 121 ms … last end 10:00:01.005 = 1.106 s.
const HAND = {
  play: { count: 104, errorRate: 0.038462, throughput: 94.03255, mean: 50.5, max: 100 },
  search: { count: 10, throughput: 9.041591, mean: 205.5, max: 210 },
};

describe('merge reads every format k6 documents', () => {
  it('NDJSON plus gzipped NDJSON: exact HDR over both runners, as computed by hand', () => {
    const a = put('runner-0.ndjson', fixture('k6-points-a.ndjson'), 'two');
    const b = put('runner-1.ndjson.gz', fixture('k6-points-b.ndjson'), 'two');
    const { result, issues } = merge([a, b]);
    expect(issues.map((i) => `${i.file}:${i.line}`)).toEqual([`${a}:157`]);
    const { play, search } = result.journeys;
    expect(play).toMatchObject({
      count: HAND.play.count,
      errors: { refused: 1, status_503: 2, timeout: 1 },
      errorRate: HAND.play.errorRate,
      throughput: HAND.play.throughput,
    });
    expect(play.latency.mean).toBeCloseTo(HAND.play.mean, 9);
    expect(play.latency.max).toBe(HAND.play.max);
    // 100 successes 1..100 ms: p50 is the 50th value, p99 the 99th (HDR, 3 significant digits).
    expect(play.latency.p50).toBeCloseTo(50, 1);
    expect(play.latency.p99).toBeCloseTo(99, 1);
    expect(search).toMatchObject({ count: HAND.search.count, throughput: HAND.search.throughput });
    expect(search.latency.mean).toBeCloseTo(HAND.search.mean, 9);
    expect(search.latency.p50).toBeCloseTo(205, 0);
    expect(search.latency.max).toBe(HAND.search.max);
    expect(result.window.end).toBe(1.106);
  });

  it('a directory and a glob give the same files in name order', () => {
    const d = join(dir, 'two');
    expect(expandInputs([d])).toEqual([join(d, 'runner-0.ndjson'), join(d, 'runner-1.ndjson.gz')]);
    expect(expandInputs([join(d, 'runner-*.ndjson*')])).toEqual(expandInputs([d]));
    expect(refusal(() => expandInputs([join(d, 'nothing-*.gz')]))).toMatch(/no file matches/);
    mkdirSync(join(dir, 'empty-dir'));
    expect(refusal(() => expandInputs([join(dir, 'empty-dir')]))).toMatch(/holds no .ndjson/);
  });

  it('--summary-export alone: k6 percentiles, and a statistic it lacks is NaN, never 0', () => {
    const { result } = merge([put('summary-export.json', fixture('k6-summary-export.json'))]);
    expect(result.journeys.play).toMatchObject({ count: 104, throughput: 51.2, errorRate: 0.038462 });
    expect(result.journeys.play.latency).toMatchObject({ p50: 50.5, p90: 90.1, p99: 99.01, max: 100 });
    expect(result.journeys.play.latency.p999).toBeNaN();
  });

  it('handleSummary alone: values nested, the window from state.testRunDurationMs', () => {
    const { result } = merge([put('handle.json', fixture('k6-handle-summary.json'))]);
    expect(result.window.end).toBe(2);
    expect(result.journeys.play).toMatchObject({
      count: 104,
      throughput: 52,
      errorRate: 0.038462,
      errors: { failed: 4 },
    });
    expect(result.journeys.play.latency).toMatchObject({ mean: 50.5, p95: 95.05, p99: 99.01 });
  });

  it('a summary beside points is set aside (the points are exact); two summaries are refused', () => {
    const a = put('p.ndjson', fixture('k6-points-a.ndjson'), 'mixed');
    const s = put('s.json', fixture('k6-summary-export.json'), 'mixed');
    const { result, notes } = merge([a, s]);
    expect(result.journeys.play.count).toBe(54);
    expect(notes).toEqual([`${s}: k6 summary set aside; the percentiles come from the points and results`]);
    const h = put('h.json', fixture('k6-handle-summary.json'), 'mixed');
    expect(refusal(() => merge([s, h]))).toMatch(/2 k6 summaries cannot be merged/);
  });

  it('budgets are checked across all runners through the CLI (exit 1: play errors 3.8 % ≥ 0.5 %)', () => {
    const r = backline(['merge', join(dir, 'two'), '--scenario', join(FIX, 'k6-merge.yaml'), '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.journeys.play.count).toBe(104);
    expect(out.budgets.map((b: { pass: boolean }) => b.pass)).toEqual([true, false, true]);
    expect(r.stderr).toMatch(/runner-0\.ndjson:157 {2}not JSON/);
  });
});

describe('merge refuses pointless input (exit 2) and absurd points', () => {
  it('refuses empty, fake-gzip, truncated-gzip, non-regular and unrecognised files, naming them', () => {
    expect(refusal(() => readInput(put('empty.ndjson', '')))).toMatch(/empty\.ndjson: empty/);
    expect(refusal(() => readInput(put('blank.ndjson', ' \n\n')))).toMatch(/empty/);
    expect(refusal(() => readInput(put('fake.ndjson.gz', Buffer.from('plain text'))))).toMatch(
      /not gzip data/,
    );
    const gz = gzipSync(fixture('k6-points-a.ndjson'));
    expect(refusal(() => readInput(put('cut.gz', gz.subarray(0, gz.length / 2))))).toMatch(
      /not a readable gzip/,
    );
    execFileSync('mkfifo', [join(dir, 'fifo.ndjson')]);
    expect(refusal(() => readInput(join(dir, 'fifo.ndjson')))).toMatch(/not a regular file/);
    expect(refusal(() => readInput(join(dir, 'missing.ndjson')))).toMatch(
      /missing\.ndjson: cannot read \(ENOENT\)/,
    );
    const text = put('notes.txt', 'hello\nworld\n');
    expect(refusal(() => merge([text]))).toMatch(/notes\.txt: no k6 NDJSON record \(first line: "hello"\)/);
    const broken = put('broken.json', '{\n  "metrics": {\n');
    expect(refusal(() => merge([broken]))).toMatch(/broken\.json: looks like JSON but does not parse/);
    const other = put('other.json', '{"hello": 1}');
    expect(refusal(() => merge([other]))).toMatch(/other\.json: not a k6 output/);
    const mrs = put('new.json', '{"version":"1.0.0","results":{"metrics":[]}}');
    expect(refusal(() => merge([mrs]))).toMatch(/new machine-readable summary/);
  });

  it('a file with only Metric lines, or whose every point is refused, has zero points: refused', () => {
    const metrics = fixture('k6-points-a.ndjson')
      .split('\n')
      .filter((l) => l.includes('"Metric"'))
      .join('\n');
    expect(refusal(() => merge([put('metrics-only.ndjson', metrics)]))).toMatch(
      /no requests in .*no http_req_duration point/,
    );
  });

  it('a malformed RunResult names the file and the field; a sim result is not a runner', () => {
    const ok = merge([put('r0.ndjson', fixture('k6-points-b.ndjson'))]).result;
    const bad = { ...ok, journeys: { play: { ...ok.journeys.play, count: 'many' } } };
    expect(refusal(() => merge([put('bad-result.json', JSON.stringify(bad))]))).toMatch(
      /bad-result\.json: malformed RunResult: journeys\["play"\]\.count is not a count/,
    );
    const hdr = { ...ok, journeys: { play: { ...ok.journeys.play, hdr: 'not-base64!' } } };
    expect(refusal(() => merge([put('bad-hdr.json', JSON.stringify(hdr))]))).toMatch(
      /hdr is not an encoded HDR/,
    );
    expect(refusal(() => merge([put('sim.json', JSON.stringify({ ...ok, kind: 'sim' }))]))).toMatch(
      /kind is "sim"/,
    );
  });

  it('refuses absurd points line by line and keeps the percentiles of the rest', () => {
    const point = (value: unknown, journey = 'play') =>
      JSON.stringify({
        type: 'Point',
        metric: 'http_req_duration',
        data: { time: '2026-11-28T10:00:01Z', value, tags: { journey, status: '200' } },
      });
    const lines = [
      ...Array.from({ length: 100 }, (_, i) => point(i + 1)),
      point(1e12),
      point(-5),
      point('NaN'),
      point(null),
      '{"type":"Point","metric":"http_req_duration","data":{"time":"2026-11-28T10:00:01Z","value":1e400,"tags":{}}}',
      point(7, '__proto__'),
    ];
    const f = put('absurd.ndjson', lines.join('\n'));
    const { result, issues } = merge([f]);
    expect(issues.map((i) => i.line)).toEqual([101, 102, 103, 104, 105]);
    expect(issues[0].message).toMatch(/value 1000000000000 ms is outside \[0, 1e12\) ms; point refused/);
    expect(result.journeys.play.count).toBe(100);
    expect(result.journeys.play.latency.p50).toBeCloseTo(50, 1);
    expect(result.journeys.play.latency.p99).toBeCloseTo(99, 1);
    expect(result.journeys.play.latency.max).toBe(100);
    expect(Object.hasOwn(result.journeys, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(result.journeys)).toBe(Object.prototype);
  });

  it('the CLI exits 2 on an empty file and on a summary renamed to .ndjson.gz that is not gzip', () => {
    const e = backline(['merge', join(dir, 'empty.ndjson')]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/empty\.ndjson: empty/);
    copyFileSync(join(FIX, 'k6-summary-export.json'), join(dir, 'summary.ndjson.gz'));
    const s = backline(['merge', join(dir, 'summary.ndjson.gz')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/named \.gz but not gzip data/);
  });
});

describe('merge of a plain k6 script (no backline tags): groups are journeys, check() counts', () => {
  const line = (metric: string, value: number, tags: Record<string, string>, ms = 0) =>
    JSON.stringify({
      type: 'Point',
      metric,
      data: { time: `2026-12-02T10:00:00.${String(100 + ms).padStart(3, '0')}Z`, value, tags },
    });
  const req = (group: string, ms: number) =>
    line('http_req_duration', ms, { group, status: '200', expected_response: 'true', name: 'x' }, ms);
  const check = (group: string, pass: boolean, name = 'is 200') =>
    line('checks', pass ? 1 : 0, { group, check: name });

  it('a request in group("play") is journey play, its check()s give play.checks; __proto__ stays a name', () => {
    const text = [
      req('::play', 10),
      req('::play', 20),
      req('::play', 30),
      req('::play::inner', 40),
      req('::__proto__', 5),
      req('', 7),
      check('::play', true),
      check('::play', true),
      check('::play', true, 'body "ok"\r\n'),
      check('::play', false),
      check('::__proto__', false),
      check('::no-requests', true),
    ].join('\n');
    const { result } = mergeOutputs([{ file: 'plain.ndjson', text }], {
      scenario: 's',
      hash: 'h',
      budgets: [{ expr: 'play.checks > 99%', subject: 'play', metric: 'checks', op: '>', limit: 0.99 }],
    });
    expect(Object.keys(result.journeys)).toEqual(['__proto__', 'default', 'play', 'play::inner']);
    expect(result.journeys.play).toMatchObject({ count: 3, checks: { pass: 3, fail: 1 } });
    expect(result.journeys.play.latency.mean).toBeCloseTo(20, 9);
    expect(result.journeys['play::inner'].count).toBe(1);
    expect(Object.getOwnPropertyDescriptor(result.journeys, '__proto__')?.value).toMatchObject({
      count: 1,
      checks: { pass: 0, fail: 1 },
    });
    expect(result.journeys.default.checks).toBeUndefined();
    expect(result.budgets).toMatchObject([{ value: 0.75, pass: false }]);
  });
});
