/**
 * A RunResult read from a file before it is merged: every field the merge reads is checked (counts
 * are non-negative integers, histograms decode, maps hold counts, a status timeline's slots are
 * bounded), so a hand-edited or corrupt file is refused naming the file and the first
 * bad field, never merged into nonsense or allowed to allocate without bound.
 */
import { UsageError } from '../../results/errors.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type { RunResult } from '../../results/run-result.js';

type Bad = (what: string) => Error;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const int = (v: unknown): v is number => num(v) && Number.isInteger(v);

/** A status timeline of more slots than this is refused (a day of 1 s slots is 86 400). */
const MAX_SLOTS = 1_000_000;

function checkHdr(v: unknown, at: string, bad: Bad): void {
  try {
    if (typeof v !== 'string') throw new Error('not a string');
    if (v) LatencyHistogram.decode(v);
  } catch {
    throw bad(`${at} is not an encoded HDR histogram`);
  }
}

function checkCounts(v: unknown, at: string, bad: Bad): void {
  if (!isObj(v) || !Object.values(v).every(num)) throw bad(`${at} is not a map of counts`);
}

function checkCheck(v: unknown, at: string, bad: Bad): void {
  if (!isObj(v) || !int(v.pass) || !int(v.fail)) throw bad(`${at} needs integer pass and fail counts`);
}

/** A journey's `failed` block: a count, a latency summary with a max, a decodable histogram. */
function checkFailed(f: unknown, at: string, bad: Bad): void {
  if (!isObj(f) || !int(f.count) || !num(f.sumSeconds)) throw bad(`${at} needs a count and sumSeconds`);
  if (!isObj(f.latency) || !num(f.latency.max)) throw bad(`${at}.latency needs a max`);
  checkHdr(f.hdr, `${at}.hdr`, bad);
}

function checkSteps(v: unknown, at: string, bad: Bad): void {
  if (!Array.isArray(v)) throw bad(`${at} is not a list`);
  v.forEach((s: unknown, i) => {
    const here = `${at}[${i}]`;
    if (!isObj(s) || typeof s.name !== 'string') throw bad(`${here} needs a name`);
    if (!int(s.count)) throw bad(`${here}.count is not a count`);
    checkCounts(s.statuses, `${here}.statuses`, bad);
    checkCounts(s.errors, `${here}.errors`, bad);
    if (!isObj(s.latency) || !num(s.latency.mean) || !num(s.latency.max))
      throw bad(`${here}.latency needs a mean and a max`);
    checkHdr(s.hdr, `${here}.hdr`, bad);
    if (s.sumSeconds !== undefined && !num(s.sumSeconds)) throw bad(`${here}.sumSeconds is not a number`);
    if (s.checks !== undefined) {
      if (!isObj(s.checks)) throw bad(`${here}.checks is not a map`);
      for (const [k, c] of Object.entries(s.checks))
        checkCheck(c, `${here}.checks[${JSON.stringify(k)}]`, bad);
    }
  });
}

function checkTimeline(t: unknown, bad: Bad): void {
  const at = 'statusTimeline';
  if (!isObj(t) || !num(t.interval) || t.interval < 0.001)
    throw bad(`${at}.interval is not a positive number`);
  const interval = t.interval;
  const slots = t.t;
  if (!Array.isArray(slots) || slots.length > MAX_SLOTS || !slots.every(num))
    throw bad(`${at}.t is not a list of times`);
  // The merge allocates every slot up to the latest time: a time of 1e12 s must not be one.
  if (slots.some((x) => x / interval >= MAX_SLOTS)) throw bad(`${at}.t reaches past ${MAX_SLOTS} intervals`);
  if (!isObj(t.codes)) throw bad(`${at}.codes is not a map`);
  for (const [code, series] of Object.entries(t.codes))
    if (!Array.isArray(series) || series.length !== slots.length || !series.every(num))
      throw bad(`${at}.codes[${JSON.stringify(code)}] is not a count per slot of t`);
}

/** Checks a parsed RunResult; throws a UsageError naming the file and the first bad field. */
export function checkRunResult(o: Record<string, unknown>, file: string): RunResult {
  const bad = (what: string) => new UsageError(`${file}: malformed RunResult: ${what}`);
  if (o.kind !== 'load')
    throw bad(`kind is ${JSON.stringify(o.kind)}; merge combines load runners (kind "load")`);
  if (!isObj(o.window) || !num(o.window.start) || !num(o.window.end)) throw bad('window needs start and end');
  if (!isObj(o.journeys)) throw bad('journeys is not an object');
  for (const [name, j] of Object.entries(o.journeys)) {
    const at = `journeys[${JSON.stringify(name)}]`;
    if (!isObj(j)) throw bad(`${at} is not an object`);
    if (!int(j.count)) throw bad(`${at}.count is not a count`);
    checkCounts(j.errors, `${at}.errors`, bad);
    checkHdr(j.hdr, `${at}.hdr`, bad);
    if (j.failed !== undefined) checkFailed(j.failed, `${at}.failed`, bad);
    if (j.steps !== undefined) checkSteps(j.steps, `${at}.steps`, bad);
    if (j.checks !== undefined) checkCheck(j.checks, `${at}.checks`, bad);
  }
  if (o.session !== undefined) {
    if (!isObj(o.session)) throw bad('session is not an object');
    checkSteps(o.session.steps, 'session.steps', bad);
    if (o.session.checks !== undefined) checkCheck(o.session.checks, 'session.checks', bad);
  }
  if (o.statusTimeline !== undefined) checkTimeline(o.statusTimeline, bad);
  return o as unknown as RunResult;
}
