/**
 * k6 output → RunResult. `--out json` NDJSON points give exact percentiles (every
 * `http_req_duration` point goes into an HDR histogram per `journey` tag); the `--summary-export`
 * file gives the totals and k6's own threshold verdicts when the points are not there. A
 * malformed NDJSON line is reported with its line number and skipped, never fatal.
 */
import { LatencyHistogram, round } from '../../results/histogram.js';
import type { JourneyResult, RunResult } from '../../results/run-result.js';

/** A line of NDJSON that could not be used. */
export interface LineIssue {
  file: string;
  line: number;
  message: string;
}

interface JourneyAcc {
  latency: LatencyHistogram;
  count: number;
  errors: Record<string, number>;
}

/** k6 error codes (javascript-api/error-codes) → our causes. */
function causeFromK6(tags: Record<string, string>): string {
  const code = tags.error_code;
  const status = Number(tags.status ?? 0);
  if (status >= 100 && !(status >= 200 && status < 300) && status !== 0) return `status_${status}`;
  switch (code) {
    case '1050':
    case '1211':
      return 'timeout';
    case '1212':
      return 'refused';
    case '1220':
    case '1201':
    case '1202':
      return 'reset';
    default:
      break;
  }
  const msg = (tags.error ?? '').toLowerCase();
  if (msg.includes('refused')) return 'refused';
  if (msg.includes('reset')) return 'reset';
  if (msg.includes('timeout')) return 'timeout';
  return code ? `k6_${code}` : 'error';
}

/** Accumulates k6 points from one or many runners (files), in any order. */
export class K6PointsImport {
  readonly issues: LineIssue[] = [];
  private readonly journeys = new Map<string, JourneyAcc>();
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  points = 0;

  private journey(name: string): JourneyAcc {
    let j = this.journeys.get(name);
    if (!j) {
      j = { latency: new LatencyHistogram(), count: 0, errors: {} };
      this.journeys.set(name, j);
    }
    return j;
  }

  /** Adds the NDJSON text of one runner's `--out json` file. */
  addNdjson(text: string, file = 'points.ndjson'): void {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i].trim();
      if (raw === '') continue;
      let o: unknown;
      try {
        o = JSON.parse(raw);
      } catch (e) {
        this.issues.push({ file, line: i + 1, message: `not JSON (${(e as Error).message}); line skipped` });
        continue;
      }
      const rec = o as { type?: unknown; metric?: unknown; data?: Record<string, unknown> };
      if (typeof rec !== 'object' || rec === null || typeof rec.type !== 'string') {
        this.issues.push({ file, line: i + 1, message: 'not a k6 record (no `type`); line skipped' });
        continue;
      }
      if (rec.type !== 'Point' || rec.metric !== 'http_req_duration') continue;
      const d = rec.data ?? {};
      const value = d.value;
      const time = Date.parse(String(d.time));
      if (typeof value !== 'number' || !Number.isFinite(value) || Number.isNaN(time)) {
        this.issues.push({
          file,
          line: i + 1,
          message: 'http_req_duration point without a numeric value and time; line skipped',
        });
        continue;
      }
      const tags = (d.tags ?? {}) as Record<string, string>;
      this.point(tags, value, time);
    }
  }

  private point(tags: Record<string, string>, ms: number, time: number): void {
    this.points++;
    const j = this.journey(tags.journey ?? 'default');
    j.count++;
    // A point stamps the request's end; its start is `ms` earlier.
    if (time - ms < this.first) this.first = time - ms;
    if (time > this.last) this.last = time;
    const status = Number(tags.status ?? 0);
    const ok =
      tags.expected_response !== undefined
        ? tags.expected_response === 'true'
        : status >= 200 && status < 300;
    if (ok) j.latency.record(ms / 1000);
    else {
      const cause = causeFromK6(tags);
      j.errors[cause] = (j.errors[cause] ?? 0) + 1;
    }
  }

  /** Seconds between the first request's start and the last one's end, over all files. */
  get seconds(): number {
    return this.points > 0 ? Math.max(0, (this.last - this.first) / 1000) : 0;
  }

  /** The combined RunResult. */
  result(meta: { scenario: string; hash: string; target?: string }): RunResult {
    const seconds = this.seconds;
    const journeys: Record<string, JourneyResult> = {};
    for (const [name, j] of [...this.journeys].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const failed = Object.values(j.errors).reduce((a, b) => a + b, 0);
      journeys[name] = {
        count: j.count,
        errors: Object.fromEntries(Object.entries(j.errors).sort(([a], [b]) => (a < b ? -1 : 1))),
        errorRate: round(j.count ? failed / j.count : 0),
        throughput: round(seconds > 0 ? j.count / seconds : 0),
        latency: j.latency.summary(),
        hdr: j.latency.encode(),
        sumSeconds: round(j.latency.sum, 9),
      };
    }
    return {
      version: 1,
      kind: 'load',
      scenario: { name: meta.scenario, hash: meta.hash },
      tool: 'k6',
      window: { start: 0, end: round(seconds, 3) },
      journeys,
      budgets: [],
      ...(meta.target ? { target: { url: meta.target } } : {}),
    };
  }
}

/** What a `--summary-export` file says, normalised. */
export interface K6Summary {
  /** Per metric name (`http_req_duration{journey:play}` included) its values. */
  metrics: Record<string, Record<string, number>>;
  /** Threshold verdicts: metric → expression → passed. */
  thresholds: Record<string, Record<string, boolean>>;
  checks: { name: string; passes: number; fails: number }[];
}

/**
 * Reads a `--summary-export` file (legacy shape: thresholds are booleans where `true` means
 * *failed*) or a `handleSummary(data)` JSON (thresholds are `{ ok }`).
 */
export function parseK6Summary(text: string, file = 'summary.json'): K6Summary {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new SyntaxError(`${file}: not JSON (${(e as Error).message})`);
  }
  const metricsIn = (o.metrics ?? {}) as Record<string, Record<string, unknown>>;
  const metrics: K6Summary['metrics'] = {};
  const thresholds: K6Summary['thresholds'] = {};
  for (const [name, m] of Object.entries(metricsIn)) {
    // handleSummary nests numbers under `values`; --summary-export flattens them.
    const values = (typeof m.values === 'object' && m.values !== null ? m.values : m) as Record<
      string,
      unknown
    >;
    metrics[name] = Object.fromEntries(
      Object.entries(values).filter(([, v]) => typeof v === 'number') as [string, number][],
    );
    const th = m.thresholds as Record<string, unknown> | undefined;
    if (th) {
      thresholds[name] = Object.fromEntries(
        Object.entries(th).map(([expr, v]) => [
          expr,
          typeof v === 'boolean' ? !v : Boolean((v as { ok?: boolean }).ok),
        ]),
      );
    }
  }
  const checks: K6Summary['checks'] = [];
  const collectChecks = (g: Record<string, unknown> | undefined) => {
    if (!g) return;
    const cs = g.checks;
    const list = Array.isArray(cs) ? cs : Object.values((cs ?? {}) as Record<string, unknown>);
    for (const c of list as { name: string; passes: number; fails: number }[]) {
      checks.push({ name: c.name, passes: c.passes, fails: c.fails });
    }
    const gs = g.groups;
    for (const sub of (Array.isArray(gs)
      ? gs
      : Object.values((gs ?? {}) as Record<string, unknown>)) as Record<string, unknown>[])
      collectChecks(sub);
  };
  collectChecks(o.root_group as Record<string, unknown> | undefined);
  return { metrics, thresholds, checks };
}

/**
 * A RunResult from the summary alone (no points): percentiles as k6 computed them, per journey
 * where a `http_req_duration{journey:x}` submetric exists. No HDR histogram (it cannot be merged).
 */
export function resultFromSummary(summary: K6Summary, meta: { scenario: string; hash: string }): RunResult {
  const journeys: Record<string, JourneyResult> = {};
  for (const [name, v] of Object.entries(summary.metrics)) {
    const m = /^http_req_duration\{journey:([^}]+)\}$/.exec(name);
    if (!m) continue;
    const j = m[1];
    const reqs = summary.metrics[`http_reqs{journey:${j}}`];
    const failed = summary.metrics[`http_req_failed{journey:${j}}`];
    journeys[j] = {
      count: reqs?.count ?? 0,
      errors: failed?.passes ? { failed: failed.passes } : {},
      errorRate: round(failed?.value ?? failed?.rate ?? 0),
      throughput: round(reqs?.rate ?? 0),
      latency: {
        mean: round(v.avg ?? 0),
        p50: round(v.med ?? 0),
        p90: round(v['p(90)'] ?? 0),
        p95: round(v['p(95)'] ?? 0),
        p99: round(v['p(99)'] ?? 0),
        p999: round(v['p(99.9)'] ?? 0),
        max: round(v.max ?? 0),
      },
      hdr: '',
      sumSeconds: 0,
    };
  }
  return {
    version: 1,
    kind: 'load',
    scenario: { name: meta.scenario, hash: meta.hash },
    tool: 'k6',
    window: { start: 0, end: 0 },
    journeys,
    budgets: [],
  };
}
