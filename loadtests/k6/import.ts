/**
 * k6 output → RunResult. `--out json` NDJSON points give exact percentiles (every
 * `http_req_duration` point goes into an HDR histogram per `journey` tag); the `--summary-export`
 * file gives the totals and k6's own threshold verdicts when the points are not there. A
 * malformed NDJSON line is reported with its line number and skipped, never fatal.
 */
import { failedCount } from '../../results/failed-count.js';
import { failedField } from '../../results/failed-latency.js';
import { LatencyHistogram, round } from '../../results/histogram.js';
import type { JourneyResult, RunResult } from '../../results/run-result.js';
import { FlowPoints } from './flow-points.js';

/** `obj[key] = value` as an own property, also for `__proto__` (which `=` would turn into a prototype). */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Metrics read from points: requests, and the flow metrics of generated scripts. */
const METRICS = new Set(['http_req_duration', 'journey_duration', 'journey_failed', 'step_failed', 'checks']);

/** The flow name the session's steps are tagged with (as backline's executor books them). */
const SESSION = 'session';

/** Point values at or above this many milliseconds (about 31 years) are refused. */
export const ABSURD_MS = 1e12;

/** A line of NDJSON that could not be used. */
export interface LineIssue {
  file: string;
  line: number;
  message: string;
}

interface JourneyAcc {
  latency: LatencyHistogram;
  /** Durations of failed requests (k6's `expected_response: false`). */
  failed: LatencyHistogram;
  count: number;
  errors: Record<string, number>;
  /** `check()` outcomes of a plain k6 script in this journey's group. */
  checks: { pass: number; fail: number };
}

/**
 * The journey a point belongs to: backline's `journey` tag, else the k6 `group` it ran in (a plain
 * k6 script's `group('play', …)` tags `::play`; nested groups keep their path, `a::b`), else `default`.
 */
function journeyOf(tags: Record<string, string>): string {
  if (typeof tags.journey === 'string') return tags.journey;
  const group = typeof tags.group === 'string' ? tags.group.replace(/^::/, '') : '';
  return group || 'default';
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
  private readonly flows = new FlowPoints();
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  points = 0;

  private journey(name: string): JourneyAcc {
    let j = this.journeys.get(name);
    if (!j) {
      j = {
        latency: new LatencyHistogram(),
        failed: new LatencyHistogram(),
        count: 0,
        errors: Object.create(null),
        checks: { pass: 0, fail: 0 },
      };
      this.journeys.set(name, j);
    }
    return j;
  }

  /**
   * Adds the NDJSON text of one runner's `--out json` file and returns how many k6 records
   * (`Metric` and `Point` lines) it held. Unusable lines are counted in {@link issues}, never fatal.
   */
  addNdjson(text: string, file = 'points.ndjson'): number {
    let records = 0;
    let start = 0;
    for (let line = 1; start < text.length; line++) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const raw = text.slice(start, end).trim();
      start = end + 1;
      if (raw === '') continue;
      const issue = (message: string) => this.issues.push({ file, line, message });
      let o: unknown;
      try {
        o = JSON.parse(raw);
      } catch (e) {
        issue(`not JSON (${(e as Error).message}); line skipped`);
        continue;
      }
      const rec = o as { type?: unknown; metric?: unknown; data?: Record<string, unknown> };
      if (typeof rec !== 'object' || rec === null || typeof rec.type !== 'string') {
        issue('not a k6 record (no `type`); line skipped');
        continue;
      }
      records++;
      if (rec.type !== 'Point' || typeof rec.metric !== 'string' || !METRICS.has(rec.metric)) continue;
      const metric = rec.metric;
      const d = (typeof rec.data === 'object' && rec.data !== null ? rec.data : {}) as Record<
        string,
        unknown
      >;
      const value = d.value;
      const time = Date.parse(String(d.time));
      if (typeof value !== 'number' || Number.isNaN(time)) {
        issue(`${metric} point without a numeric value and a time; point refused`);
        continue;
      }
      // A duration below 0, non-finite or of 30 years and more is a broken clock or a corrupt
      // file; folded into the histogram it would wreck every percentile.
      if (!(value >= 0 && value < ABSURD_MS)) {
        const ms = metric === 'http_req_duration' || metric === 'journey_duration' ? ' ms' : '';
        issue(`${metric} value ${value}${ms} is outside [0, 1e12)${ms}; point refused`);
        continue;
      }
      const tags = (typeof d.tags === 'object' && d.tags !== null ? d.tags : {}) as Record<string, string>;
      this.point(metric, tags, value, time);
    }
    return records;
  }

  private point(metric: string, tags: Record<string, string>, ms: number, time: number): void {
    const timed = metric === 'http_req_duration' || metric === 'journey_duration';
    if (timed) {
      // A point stamps the request's (or journey's) end; its start is `ms` earlier.
      if (time - ms < this.first) this.first = time - ms;
      if (time > this.last) this.last = time;
    }
    if (metric === 'http_req_duration') this.points++;
    if (this.flows.add(metric, tags, ms)) return;
    if (metric === 'checks' && typeof tags.journey !== 'string') {
      // A plain k6 script's check(): counted for its group's journey (k6's `checks` rate).
      const c = this.journey(journeyOf(tags)).checks;
      if (ms >= 0.5) c.pass++;
      else c.fail++;
      return;
    }
    if (metric !== 'http_req_duration') return;
    const j = this.journey(journeyOf(tags));
    j.count++;
    const status = Number(tags.status ?? 0);
    const ok =
      tags.expected_response !== undefined
        ? tags.expected_response === 'true'
        : status >= 200 && status < 300;
    if (ok) j.latency.record(ms / 1000);
    else {
      const cause = causeFromK6(tags);
      j.errors[cause] = (j.errors[cause] ?? 0) + 1;
      j.failed.record(ms / 1000);
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
      // Checks alone (a group that sent no request) are no journey that ran.
      if (j.count === 0) continue;
      const failed = failedCount(j);
      setOwn(journeys, name, {
        count: j.count,
        errors: Object.fromEntries(Object.entries(j.errors).sort(([a], [b]) => (a < b ? -1 : 1))),
        errorRate: round(j.count ? failed / j.count : 0),
        throughput: round(seconds > 0 ? j.count / seconds : 0),
        latency: j.latency.summary(),
        hdr: j.latency.encode(),
        sumSeconds: round(j.latency.sum, 9),
        ...failedField(j.failed),
        ...(j.checks.pass + j.checks.fail > 0 ? { checks: { ...j.checks } } : {}),
      });
    }
    // Journeys run as flows: the whole flow is the journey, its requests are its steps.
    for (const [name, f] of [...this.flows.flows].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (name === SESSION || f.count === 0) continue;
      const checks = this.flows.checks(name);
      setOwn(journeys, name, {
        count: f.count,
        errors: Object.fromEntries(Object.entries(f.errors).sort(([a], [b]) => (a < b ? -1 : 1))),
        errorRate: FlowPoints.errorRate(f),
        throughput: round(seconds > 0 ? f.count / seconds : 0),
        latency: f.latency.summary(),
        hdr: f.latency.encode(),
        sumSeconds: round(f.latency.sum, 9),
        steps: this.flows.steps(name),
        ...(checks ? { checks } : {}),
      });
    }
    const session = this.flows.flows.has(SESSION)
      ? { steps: this.flows.steps(SESSION), checks: this.flows.checks(SESSION) }
      : undefined;
    if (session && !session.checks) delete session.checks;
    return {
      version: 1,
      kind: 'load',
      scenario: { name: meta.scenario, hash: meta.hash },
      tool: 'k6',
      window: { start: 0, end: round(seconds, 3) },
      journeys,
      budgets: [],
      ...(session ? { session } : {}),
      ...(meta.target ? { target: { url: meta.target } } : {}),
    };
  }
}
