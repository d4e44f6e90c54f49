/**
 * What a load RunResult measured, per journey of the scenario: the latency distribution of its
 * successful requests, from the journey's HDR histogram (one request per journey) or, for flows,
 * its request steps' histograms merged (each step is one HTTP request that the twin serves along the
 * journey's whole chain). The file is untrusted: every field is checked, names are looked up as own
 * properties only, and a result that measured nothing is refused rather than fitted.
 */
import { ScenarioError } from '../errors.js';
import { LatencyHistogram } from '../histogram.js';
import { MIN_SAMPLES } from './calibrate.js';
import { isObj } from './spans.js';

/** One journey's measured latency. */
export interface JourneyMeasure {
  journey: string;
  /** Successful requests measured. */
  n: number;
  /** The distribution as `n` or at most {@link QUANTILES} evenly spaced quantiles, seconds, sorted. */
  sample: Float64Array;
  /** What the numbers came from: `journey` or the steps' names. */
  source: string;
}

/** Quantiles kept per journey (midpoints (i + ½)/K): enough for a KS distance to 0.001. */
export const QUANTILES = 1000;

/** The longest `hdr` string read (a journey's histogram is a few kB). */
const MAX_HDR_CHARS = 1 << 20;

/** Share of a step's requests that may have failed (non-2xx or no answer) for it to be used. */
export const STEP_ERROR_LIMIT = 0.01;

/** Journeys measured and journeys left out (with why). */
export interface RunMeasurements {
  measured: JourneyMeasure[];
  skipped: { journey: string; reason: string }[];
}

/** Reads `run` (a parsed JSON object from `file`) against the scenario's `journeys`. */
export function runMeasurements(
  run: Record<string, unknown>,
  file: string,
  journeys: readonly string[],
): RunMeasurements {
  const fail = (message: string): never => {
    throw new ScenarioError([{ file, line: 0, col: 0, message }]);
  };
  if (run.kind === 'sim')
    fail('a simulation’s RunResult: calibrate from what was measured (a load RunResult or traces)');
  if (run.kind !== 'load') fail('not a RunResult: `kind` must be "load"');
  const js = isObj(run.journeys) ? run.journeys : fail('not a RunResult: `journeys` must be an object');
  const notComparable = isObj(run.notComparable) ? run.notComparable : {};
  const known = new Set(journeys);
  const out: RunMeasurements = { measured: [], skipped: [] };
  let total = 0;
  for (const name of Object.keys(js)) {
    const where = `journeys[${JSON.stringify(name)}]`;
    if (!known.has(name))
      fail(`${where}: not a journey of the scenario (was this result measured on another scenario?)`);
    const j = isObj(js[name]) ? js[name] : fail(`${where}: expected an object`);
    if (Object.hasOwn(notComparable, name)) {
      out.skipped.push({ journey: name, reason: `not comparable: ${String(notComparable[name])}` });
      continue;
    }
    const m = measure(j, where, fail, out.skipped, name);
    total += m?.n ?? 0;
    if (!m) continue;
    if (m.n < MIN_SAMPLES) {
      out.skipped.push({
        journey: name,
        reason: `${m.n} successful requests (at least ${MIN_SAMPLES} needed)`,
      });
      continue;
    }
    out.measured.push(m);
  }
  if (total === 0) fail('no successful request was measured (0 samples): nothing to calibrate from');
  if (out.measured.length === 0)
    fail(
      `no journey has ${MIN_SAMPLES} or more measured requests: ${out.skipped.map((s) => `${s.journey} (${s.reason})`).join('; ')}`,
    );
  return out;
}

/** The journey's histogram: its request steps' merged, else its own; undefined when skipped. */
function measure(
  j: Record<string, unknown>,
  where: string,
  fail: (m: string) => never,
  skipped: RunMeasurements['skipped'],
  name: string,
): JourneyMeasure | undefined {
  let h: LatencyHistogram | undefined;
  let source = 'journey';
  if (j.steps !== undefined) {
    const steps = Array.isArray(j.steps) ? j.steps : fail(`${where}.steps: expected an array`);
    const used: string[] = [];
    for (const [i, s] of steps.entries()) {
      const at = `${where}.steps[${i}]`;
      if (!isObj(s)) fail(`${at}: expected an object`);
      const count = num(s.count) ?? fail(`${at}.count: expected a count`);
      const ok = isObj(s.statuses)
        ? Object.entries(s.statuses).reduce(
            (a, [code, c]) => a + (/^2\d\d$/.test(code) ? (num(c) ?? 0) : 0),
            0,
          )
        : count;
      if (count > 0 && (count - ok) / count > STEP_ERROR_LIMIT) {
        skipped.push({
          journey: name,
          reason: `step ${String(s.name)}: ${count - ok} of ${count} failed (its latency mixes in failures)`,
        });
        continue;
      }
      const sh = decode(s.hdr, `${at}.hdr`, fail);
      if (h) h.merge(sh);
      else h = sh;
      used.push(String(s.name));
    }
    if (!h) return undefined;
    source = `steps ${used.join(', ')}`;
  } else h = decode(j.hdr, `${where}.hdr`, fail);
  const n = h.count;
  const k = Math.min(n, QUANTILES);
  const sample = new Float64Array(k);
  for (let i = 0; i < k; i++) sample[i] = h.percentileMs((100 * (i + 0.5)) / k) / 1000;
  return { journey: name, n, sample, source };
}

function decode(x: unknown, where: string, fail: (m: string) => never): LatencyHistogram {
  if (typeof x !== 'string' || x.length === 0 || x.length > MAX_HDR_CHARS)
    fail(`${where}: expected an HDR histogram (compressed base64, at most ${MAX_HDR_CHARS} characters)`);
  try {
    return LatencyHistogram.decode(x as string);
  } catch {
    return fail(`${where}: not an HDR histogram (compressed base64)`);
  }
}

const num = (x: unknown): number | undefined =>
  typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined;
