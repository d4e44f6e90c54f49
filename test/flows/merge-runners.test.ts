import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlowStats } from '../../loadtests/flow/stats.js';
import { checkRunResult, mergeOutputs, mergeRunResults } from '../../loadtests/k6/merge.js';
import { UsageError } from '../../results/errors.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type { RunResult, StepResult } from '../../results/run-result.js';
import { backline, backlineAsync } from '../cli.js';
import { ACCOUNTS, flowScenario, startFlowServer } from './server.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-flow-merge-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(join(tmp, 'accounts.csv'), `user,password\n${ACCOUNTS.map((a) => a.join(',')).join('\n')}\n`);

const BUDGETS = [
  'play.checks: "> 99.9%"',
  'play[get /v1/tracks].p99: < 10s',
  'play[get /v1/search].checks: "> 99%"',
].join('\n  ');

/** The union of two steps' histograms, computed apart from the merge under test. */
function union(a: StepResult, b: StepResult): LatencyHistogram {
  const h = LatencyHistogram.decode(a.hdr, a.sumSeconds);
  h.merge(LatencyHistogram.decode(b.hdr, b.sumSeconds));
  return h;
}

/** Two maps of counts (or of check counts) added key by key. */
function sumMaps(a: object | undefined, b: object | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of [...Object.entries(a ?? {}), ...Object.entries(b ?? {})]) {
    const have = out[k];
    if (typeof v === 'number') out[k] = ((have as number | undefined) ?? 0) + v;
    else out[k] = sumMaps(have as object | undefined, v as object);
  }
  return out;
}

const sumCodes = (r: RunResult) =>
  Object.values(r.statusTimeline?.codes ?? {}).reduce((a, s) => a + s.reduce((x, y) => x + y, 0), 0);

describe('backline merge of RunResults from several runners keeps flows', () => {
  it('merges per-step histograms, status codes, checks, session and status timeline exactly; budgets on steps and checks judge the whole', async () => {
    const s = await startFlowServer();
    try {
      const file = (name: string, playCheck?: string) => {
        const f = join(tmp, `${name}.yaml`);
        writeFileSync(f, flowScenario(s.url, { budgets: BUDGETS, playCheck }));
        return f;
      };
      // Runner a passes every check; runner b fails the body check of every play.
      const a = await backlineAsync(['load', file('a'), '--allow-late', '--out', join(tmp, 'a')]);
      const b = await backlineAsync([
        'load',
        file('b', 'status: 200, body: contains "nope"'),
        '--allow-late',
        '--out',
        join(tmp, 'b'),
      ]);
      expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 1]);
      const ra: RunResult = JSON.parse(readFileSync(join(tmp, 'a', 'result.json'), 'utf8'));
      const rb: RunResult = JSON.parse(readFileSync(join(tmp, 'b', 'result.json'), 'utf8'));

      const m = backline([
        'merge',
        join(tmp, 'a', 'result.json'),
        join(tmp, 'b', 'result.json'),
        '--scenario',
        file('a'),
        '--json',
      ]);
      expect(m.code, m.stderr).toBe(1);
      const r: RunResult = JSON.parse(m.stdout);
      const [pa, pb, play] = [ra.journeys.play, rb.journeys.play, r.journeys.play];
      expect(play.count).toBe(pa.count + pb.count);
      // b's plays fail their body check (on a machine at load 20 a few may fail otherwise too).
      expect(pb.errors['check:body']).toBeGreaterThan(0);
      expect(play.errors).toEqual(sumMaps(pa.errors, pb.errors));
      // The pass rate is recomputed from the summed counts.
      expect(play.checks).toEqual(sumMaps(pa.checks!, pb.checks!));
      expect(play.steps?.map((x) => x.name)).toEqual(['get /v1/search', 'get /v1/tracks']);
      play.steps?.forEach((step, i) => {
        const [sa, sb] = [pa.steps![i], pb.steps![i]];
        expect(step.count).toBe(sa.count + sb.count);
        expect(step.statuses).toEqual(sumMaps(sa.statuses, sb.statuses));
        expect(step.errors).toEqual(sumMaps(sa.errors, sb.errors));
        const h = union(sa, sb);
        expect(LatencyHistogram.decode(step.hdr).count).toBe(h.count);
        expect(step.latency.p99).toBe(h.summary().p99);
        expect(step.latency.p50).toBe(h.summary().p50);
        expect(step.latency.max).toBe(Math.max(sa.latency.max, sb.latency.max));
        expect(step.sumSeconds).toBeCloseTo(sa.sumSeconds! + sb.sumSeconds!, 9);
      });
      const [ca, cb] = [pa.steps![1].checks!, pb.steps![1].checks!];
      expect(play.steps?.[1].checks).toEqual({
        status: sumMaps(ca.status, cb.status),
        body: sumMaps(ca.body, cb.body),
        latency: ca.latency,
      });
      expect(r.session?.steps[0].count).toBe(ra.session!.steps[0].count + rb.session!.steps[0].count);
      expect(r.session?.checks).toEqual(sumMaps(ra.session!.checks!, rb.session!.checks!));
      expect(sumCodes(r)).toBe(sumCodes(ra) + sumCodes(rb));
      // Budgets naming checks and steps are judged on the merged result.
      const total = play.checks!.pass + play.checks!.fail;
      const body = play.steps![1].checks!.body;
      expect(r.budgets).toMatchObject([
        {
          expr: `play.checks > 99.9% (check body of get /v1/tracks failed ${body.fail} of ${body.pass + body.fail})`,
          value: play.checks!.pass / total,
          pass: false,
        },
        { expr: 'play[get /v1/tracks].p99 < 10s', value: play.steps![1].latency.p99, pass: true },
        { expr: 'play[get /v1/search].checks > 99%', pass: true },
      ]);
    } finally {
      await s.close();
    }
  }, 120_000);
});

/** A RunResult with one flow journey whose steps and checks are named as given, from real accumulators. */
function flowResult(steps: string[], check: string, code: string, ms: number): RunResult {
  const stats = new FlowStats({ j: steps, session: [steps[0]] });
  steps.forEach((_, i) => {
    stats.response('j', i, Number(code), ms + i, 0.5, true);
    stats.check('j', i, check, i === 0, true);
  });
  stats.response('session', 0, 200, ms, 0.2, true);
  stats.error('j', 0, `check:${check}`, 0.6, true, true);
  const h = new LatencyHistogram();
  h.record(ms / 1000);
  return {
    version: 1,
    kind: 'load',
    scenario: { name: 'x', hash: '' },
    window: { start: 0, end: 1 },
    journeys: {
      j: {
        count: 1,
        errors: {},
        errorRate: 0,
        throughput: 1,
        latency: h.summary(),
        hdr: h.encode(),
        sumSeconds: h.sum,
        steps: stats.steps('j'),
        checks: stats.checks('j'),
      },
    },
    budgets: [],
    session: { steps: stats.steps('session') },
    statusTimeline: stats.statusTimeline(),
  };
}

/** An own property's value (reading `o.__proto__` would give the prototype). */
const own = (o: object | undefined, k: string) =>
  o ? Object.getOwnPropertyDescriptor(o, k)?.value : undefined;

describe('merging flows: hostile names and malformed files', () => {
  it('step and check names like __proto__, with CR/LF or quotes stay own data, summed', () => {
    const names = ['__proto__', 'get /a\r\nx-evil: 1', 'say "hi"'];
    const a = JSON.parse(JSON.stringify(flowResult(names, '__proto__', '200', 5)));
    const b = JSON.parse(JSON.stringify(flowResult(names, '__proto__', '200', 50)));
    const m = mergeRunResults([checkRunResult(a, 'a'), checkRunResult(b, 'b')]);
    const steps = m.journeys.j.steps!;
    expect(steps.map((s) => s.name)).toEqual(names);
    expect(Object.getPrototypeOf(steps[0].checks)).toBe(Object.prototype);
    expect(Object.hasOwn(steps[0].checks!, '__proto__')).toBe(true);
    expect(own(steps[0].checks, '__proto__')).toEqual({ pass: 2, fail: 0 });
    expect(own(steps[1].checks, '__proto__')).toEqual({ pass: 0, fail: 2 });
    expect(steps[0].errors).toEqual({ 'check:__proto__': 2 });
    expect(steps[2].latency.max).toBe(52);
    expect(m.journeys.j.checks).toEqual({ pass: 2, fail: 4 });
    expect(m.session?.steps[0].count).toBe(2);
    expect(m.statusTimeline?.codes).toEqual({ '200': [8] });
    // Through JSON and back: nothing became a prototype.
    expect(own(JSON.parse(JSON.stringify(m)).journeys.j.steps[0].checks, '__proto__')).toEqual({
      pass: 2,
      fail: 0,
    });
  });

  it('refuses malformed steps, checks, sessions and timelines, naming the file and field', () => {
    const good = JSON.parse(JSON.stringify(flowResult(['s'], 'status', '200', 5)));
    // biome-ignore lint/suspicious/noExplicitAny: spoils a parsed JSON copy field by field
    const cases: [(r: any) => void, RegExp][] = [
      [(r) => (r.journeys.j.steps = 'many'), /journeys\["j"\]\.steps is not a list/],
      [(r) => (r.journeys.j.steps[0].count = -1), /steps\[0\]\.count is not a count/],
      [(r) => (r.journeys.j.steps[0].hdr = 'x\r\n'), /steps\[0\]\.hdr is not an encoded HDR/],
      [(r) => (r.journeys.j.steps[0].statuses = { 200: 'x' }), /steps\[0\]\.statuses is not a map of counts/],
      [
        (r) => (r.journeys.j.steps[0].checks.status = { pass: 1.5, fail: 0 }),
        /checks\["status"\] needs integer/,
      ],
      [(r) => (r.journeys.j.checks = { pass: 1 }), /journeys\["j"\]\.checks needs integer/],
      [(r) => (r.session = { steps: {} }), /session\.steps is not a list/],
      [(r) => (r.statusTimeline.t = [1e12]), /statusTimeline\.t reaches past 1000000 intervals/],
      [(r) => (r.statusTimeline.codes['200'] = [1, 2]), /codes\["200"\] is not a count per slot/],
      [(r) => (r.statusTimeline.interval = 0), /statusTimeline\.interval is not a positive number/],
    ];
    for (const [spoil, msg] of cases) {
      const r = structuredClone(good);
      spoil(r);
      const text = JSON.stringify(r);
      let err: unknown;
      try {
        mergeOutputs([{ file: 'runner-7.json', text }], { scenario: 's', hash: '' });
      } catch (e) {
        err = e;
      }
      expect(err, String(msg)).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/^runner-7\.json: malformed RunResult: /);
      expect((err as Error).message).toMatch(msg);
    }
  });

  it('status timelines of another interval are set aside with a note, not misaligned', () => {
    const a = flowResult(['s'], 'status', '200', 5);
    const b = flowResult(['s'], 'status', '503', 5);
    b.statusTimeline = { ...b.statusTimeline!, interval: 2 };
    const notes: string[] = [];
    const m = mergeRunResults([a, b], ['a.json', 'b.json'], notes);
    expect(m.statusTimeline?.codes).toEqual({ '200': [2] });
    expect(notes).toEqual([
      "b.json: status timeline of 2 s intervals set aside (the first runner's are 1 s)",
    ]);
    expect(m.journeys.j.steps?.[0].statuses).toEqual({ '200': 1, '503': 1 });
  });
});
