/**
 * k6's end-of-test summaries: the `--summary-export` file (legacy shape: values flattened,
 * thresholds booleans where `true` means *failed*) and the `handleSummary(data)` JSON (values under
 * `values`, thresholds `{ ok }`, `state.testRunDurationMs`). A summary holds k6's own percentiles,
 * not a histogram, so it stands alone: it cannot be merged exactly with other runners.
 */
import { round } from '../../results/histogram.js';
import type { JourneyResult, RunResult } from '../../results/run-result.js';
import { setOwn } from './import.js';

/** What a `--summary-export` file says, normalised. */
export interface K6Summary {
  /** Which of k6's two summary shapes the file had. */
  flavour: 'summary-export' | 'handleSummary';
  /** Test duration in seconds (handleSummary only). */
  seconds?: number;
  /** Per metric name (`http_req_duration{journey:play}` included) its values. */
  metrics: Record<string, Record<string, number>>;
  /** Threshold verdicts: metric → expression → passed. */
  thresholds: Record<string, Record<string, boolean>>;
  checks: { name: string; passes: number; fails: number }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Recognises a k6 summary by shape: a `metrics` object and a `root_group`; `handleSummary` nests
 * numbers under `values` (and has `state`/`options`), `--summary-export` flattens them. Undefined
 * when `o` is neither.
 */
export function summaryFlavour(o: unknown): K6Summary['flavour'] | undefined {
  if (!isObj(o) || !isObj(o.metrics) || !isObj(o.root_group)) return undefined;
  const nested = Object.values(o.metrics).some((m) => isObj(m) && isObj(m.values));
  return nested || isObj(o.state) || isObj(o.options) ? 'handleSummary' : 'summary-export';
}

/**
 * Reads a `--summary-export` file (legacy shape: thresholds are booleans where `true` means
 * *failed*) or a `handleSummary(data)` JSON (thresholds are `{ ok }`).
 *
 * @throws SyntaxError naming `file` when the text is not JSON or not a k6 summary.
 */
export function parseK6Summary(text: string, file = 'summary.json'): K6Summary {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`${file}: not JSON (${(e as Error).message})`);
  }
  const flavour = summaryFlavour(o);
  if (!flavour || !isObj(o)) throw new SyntaxError(`${file}: not a k6 summary (no metrics and root_group)`);
  const metrics: K6Summary['metrics'] = Object.create(null);
  const thresholds: K6Summary['thresholds'] = Object.create(null);
  for (const [name, m] of Object.entries(o.metrics as Obj)) {
    if (!isObj(m)) continue;
    const values = isObj(m.values) ? m.values : m;
    metrics[name] = Object.fromEntries(
      Object.entries(values).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)) as [
        string,
        number,
      ][],
    );
    if (isObj(m.thresholds)) {
      thresholds[name] = Object.fromEntries(
        Object.entries(m.thresholds).map(([expr, v]) => [
          expr,
          typeof v === 'boolean' ? !v : isObj(v) && v.ok === true,
        ]),
      );
    }
  }
  const checks: K6Summary['checks'] = [];
  const collectChecks = (g: unknown, depth: number) => {
    if (!isObj(g) || depth > 64) return;
    const list = Array.isArray(g.checks) ? g.checks : Object.values(isObj(g.checks) ? g.checks : {});
    for (const c of list)
      if (isObj(c) && typeof c.name === 'string')
        checks.push({ name: c.name, passes: Number(c.passes) || 0, fails: Number(c.fails) || 0 });
    const groups = Array.isArray(g.groups) ? g.groups : Object.values(isObj(g.groups) ? g.groups : {});
    for (const sub of groups) collectChecks(sub, depth + 1);
  };
  collectChecks(o.root_group, 0);
  const ms = isObj(o.state) ? o.state.testRunDurationMs : undefined;
  return {
    flavour,
    ...(typeof ms === 'number' && ms > 0 ? { seconds: ms / 1000 } : {}),
    metrics,
    thresholds,
    checks,
  };
}

/**
 * A RunResult from a summary alone (no points): percentiles as k6 computed them, per journey where
 * a `journey_duration{journey:x}` (flows) or `http_req_duration{journey:x}` submetric exists (else the whole run as journey `default`).
 * A statistic the summary lacks (p(99.9) unless `summaryTrendStats` asked for it) is NaN, so a
 * budget on it fails as "no value" instead of passing on a zero. No HDR histogram.
 */
export function resultFromSummary(summary: K6Summary, meta: { scenario: string; hash: string }): RunResult {
  const journeys: Record<string, JourneyResult> = {};
  const stat = (v: Record<string, number>, k: string) => (k in v ? round(v[k]) : Number.NaN);
  const m = summary.metrics;
  // Generated flow scripts measure journeys as `journey_*`; older scripts per request as `http_*`.
  const add = (j: string, tag: string) => {
    const v = m[`journey_duration${tag}`] ?? m[`http_req_duration${tag}`];
    const reqs = m[`journeys${tag}`] ?? m[`http_reqs${tag}`];
    const failed = m[`journey_failed${tag}`] ?? m[`http_req_failed${tag}`];
    const count = reqs?.count ?? (failed ? (failed.passes ?? 0) + (failed.fails ?? 0) : 0);
    const rate = failed?.value ?? failed?.rate;
    setOwn(journeys, j, {
      count,
      errors: failed?.passes ? { failed: failed.passes } : {},
      errorRate: rate === undefined ? Number.NaN : round(rate),
      throughput: reqs?.rate !== undefined ? round(reqs.rate) : Number.NaN,
      latency: {
        mean: stat(v, 'avg'),
        p50: stat(v, 'med'),
        p90: stat(v, 'p(90)'),
        p95: stat(v, 'p(95)'),
        p99: stat(v, 'p(99)'),
        p999: stat(v, 'p(99.9)'),
        max: stat(v, 'max'),
      },
      hdr: '',
      sumSeconds: 0,
    });
  };
  for (const name of Object.keys(m)) {
    const sub = /^(?:journey|http_req)_duration\{journey:([^}]+)\}$/.exec(name);
    if (sub && !Object.hasOwn(journeys, sub[1])) add(sub[1], `{journey:${sub[1]}}`);
  }
  if (Object.keys(journeys).length === 0 && (m.journey_duration ?? m.http_req_duration)) add('default', '');
  return {
    version: 1,
    kind: 'load',
    scenario: { name: meta.scenario, hash: meta.hash },
    tool: 'k6',
    window: { start: 0, end: round(summary.seconds ?? 0, 3) },
    journeys,
    budgets: [],
  };
}
