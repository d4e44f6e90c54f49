/**
 * Budgets evaluated on a RunResult: the verdict of a run. A budget with a 95 % interval passes only
 * when the whole interval is on the right side of the limit, fails when the whole interval is on the
 * wrong side, and is "unsure" (`pass: null`) when the interval straddles the limit; without an
 * interval the point value decides. A budget about something the result does not contain (no CDN
 * section, no cost) fails with a value of NaN and says why in its `expr`. A budget over nothing
 * measured (a journey none of whose requests completed) is not a pass: it carries `noData`, and
 * `results/verdict.ts` makes the run fail (exit 3) unless the budget says `or no data`.
 */
import { failedCount } from './failed-count.js';
import type { BudgetResult, CheckCount, Interval, RunResult, StepResult } from './run-result.js';

/**
 * A budget to check, as the scenario loader produces it (structural, so `results/` needs nothing
 * from `scenarios/`). `limit` is in the metric's unit: ms for latencies, s for stream lag, 0..1 for
 * shares, per second for throughput.
 */
export interface BudgetSpec {
  /** As written, e.g. `play.p99 < 400ms`. */
  expr: string;
  /** Journey, service, store or stream name, or `p2p` / `cdn` / `cost`. */
  subject: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=';
  limit: number;
  /** What the subject is; looked up in the result (journeys first) when absent. */
  kind?: string;
  /** Written `… or no data`: a budget over no samples passes instead of failing the run. */
  passWithoutData?: boolean;
}

/** A measured value, its interval when there is one, or why it is missing or not measured. */
interface Measured {
  value: number;
  ci?: Interval;
  missing?: string;
  /** Nothing was measured to judge by, e.g. `no requests completed for journey play`. */
  noData?: string;
  /** Said after the expression when the budget fails (which check failed most). */
  detail?: string;
}

const LATENCY = new Set(['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'max']);
const missing = (why: string): Measured => ({ value: Number.NaN, missing: why });
const noData = (why: string): Measured => ({ value: Number.NaN, noData: why });

/** The pass rate of checks, naming the worst failing check (the one a person should look at). */
function checkRate(c: CheckCount | undefined, steps: readonly StepResult[], what: string): Measured {
  if (!c || c.pass + c.fail === 0) return noData(`${what} ran no checks`);
  let worst: string | undefined;
  let most = 0;
  for (const s of steps)
    for (const [name, k] of Object.entries(s.checks ?? {}))
      if (k.fail > most) {
        most = k.fail;
        worst = `check ${name} of ${s.name} failed ${k.fail} of ${k.pass + k.fail}`;
      }
  return { value: c.pass / (c.pass + c.fail), detail: worst };
}

/** `play[get /v1/tracks]`: a step of a load flow. */
function step(r: RunResult, subject: string, metric: string): Measured {
  const m = /^([^[]+)\[([\s\S]+)\]$/.exec(subject);
  const j = m ? r.journeys[m[1]] : undefined;
  const s = j?.steps?.find((x) => x.name === m?.[2]);
  if (!m || !s) return missing(`no flow step \`${subject}\` in the result`);
  if (s.count === 0) return noData(`no requests completed for step ${subject}`);
  if (LATENCY.has(metric)) return { value: s.latency[metric as keyof typeof s.latency] };
  if (metric === 'errors') return { value: failedCount(s) / s.count };
  if (metric === 'checks') {
    let pass = 0;
    let fail = 0;
    for (const c of Object.values(s.checks ?? {})) {
      pass += c.pass;
      fail += c.fail;
    }
    return checkRate(pass + fail > 0 ? { pass, fail } : undefined, [s], `step ${subject}`);
  }
  return missing(`flow steps have no metric \`${metric}\``);
}

function journey(r: RunResult, name: string, metric: string): Measured {
  const j = r.journeys[name];
  // A load result lists only journeys that sent something: absent means nothing completed.
  if (!j || !(j.count > 0)) return noData(`no requests completed for journey ${name}`);
  if (metric === 'checks') return checkRate(j.checks, j.steps ?? [], `journey ${name}`);
  if (LATENCY.has(metric)) {
    // Percentiles are of successful journeys; with none, a 0 ms p99 would pass on nothing.
    const failed = failedCount(j);
    if (!(j.count - failed > 0)) return noData(`no requests of journey ${name} succeeded`);
    const value = j.latency[metric as keyof typeof j.latency];
    const ci =
      metric === 'p99'
        ? j.ci?.p99
        : metric === 'p50'
          ? j.ci?.p50
          : metric === 'mean'
            ? j.ci?.mean
            : undefined;
    return { value, ci };
  }
  if (metric === 'errors') return { value: j.errorRate };
  if (metric === 'throughput') return { value: j.throughput, ci: j.ci?.throughput };
  return missing(`journeys have no metric \`${metric}\``);
}

function service(r: RunResult, name: string, metric: string): Measured {
  const s = r.services?.[name];
  if (!s) return missing(`no service \`${name}\` in the result`);
  switch (metric) {
    case 'utilization':
      return { value: s.utilization, ci: s.ci?.utilization };
    case 'queue':
      return { value: s.queue, ci: s.ci?.queue };
    case 'rejected':
      return { value: s.rejected };
    case 'breaker_open':
      return { value: s.breakerOpen ?? 0 };
    case 'expired':
      return { value: s.expired ?? 0 };
    case 'cost':
      return s.cost === undefined
        ? missing(`no cost for \`${name}\`: it prices no replica-hour`)
        : { value: s.cost };
    default:
      return missing(`services have no metric \`${metric}\``);
  }
}

function store(r: RunResult, name: string, metric: string): Measured {
  if (!r.stores) return missing('no stores section in the result');
  const s = r.stores[name];
  if (!s) return missing(`no store \`${name}\` in the result`);
  if (!s.load.some((n) => n > 0)) return noData(`no requests reached store ${name}`);
  if (LATENCY.has(metric)) return { value: s.latency[metric as keyof typeof s.latency] };
  if (metric === 'cv') return { value: s.cv };
  if (metric === 'unavailable') return { value: s.unavailable };
  return missing(`stores have no metric \`${metric}\``);
}

function stream(r: RunResult, name: string, metric: string): Measured {
  if (!r.streams) return missing('no streams section in the result');
  const s = r.streams[name];
  if (!s) return missing(`no stream \`${name}\` in the result`);
  const m = /^lag\.(p99|mean|max)$/.exec(metric);
  if (m) return { value: s.lagSeconds[m[1] as 'p99' | 'mean' | 'max'] };
  return missing(`streams have no metric \`${metric}\``);
}

function p2p(r: RunResult, metric: string): Measured {
  const p = r.p2p;
  if (!p) return missing('no p2p section in the result');
  if (!(p.plays > 0)) return noData('no plays completed in the p2p section');
  switch (metric) {
    case 'server_share':
      return { value: p.serverShare };
    case 'peer_share':
      return { value: p.peerShare };
    case 'cache_share':
      return { value: p.cacheShare };
    case 'stutter':
      return { value: p.stutterRate };
    case 'start.p99':
      return { value: p.playbackStart.p99 };
    default:
      return missing(`p2p has no metric \`${metric}\``);
  }
}

function cdn(r: RunResult, metric: string): Measured {
  const edges = Object.values(r.cdn ?? {});
  if (edges.length === 0) return missing('no cdn section in the result');
  if (!edges.some((e) => e.requests > 0)) return noData('no requests reached the cdn');
  const pick =
    metric === 'hit_ratio'
      ? (e: (typeof edges)[number]) => e.hitRatio
      : metric === 'byte_hit_ratio'
        ? (e: (typeof edges)[number]) => e.byteHitRatio
        : undefined;
  if (!pick) return missing(`cdn has no metric \`${metric}\``);
  // The mean over edges: each edge counts once, as a region's cache does for its users.
  return { value: edges.reduce((a, e) => a + pick(e), 0) / edges.length };
}

function cost(r: RunResult): Measured {
  const priced = Object.values(r.services ?? {}).filter((s) => s.cost !== undefined);
  if (priced.length === 0) return missing('no cost in the result: no service prices a replica-hour');
  return { value: priced.reduce((a, s) => a + (s.cost ?? 0), 0) };
}

/** The value a budget is about, following its kind or, without one, what the result contains. */
function measure(r: RunResult, b: BudgetSpec): Measured {
  const kind =
    b.kind ??
    (b.subject === 'cost' && b.metric === 'cost'
      ? 'cost'
      : b.subject === 'p2p' || b.subject === 'cdn'
        ? b.subject
        : r.journeys[b.subject]
          ? 'journey'
          : r.services?.[b.subject]
            ? 'service'
            : r.stores?.[b.subject]
              ? 'store'
              : r.streams?.[b.subject]
                ? 'stream'
                : 'journey');
  switch (kind) {
    case 'journey':
      return journey(r, b.subject, b.metric);
    case 'step':
      return step(r, b.subject, b.metric);
    case 'service':
      return service(r, b.subject, b.metric);
    case 'store':
      return store(r, b.subject, b.metric);
    case 'stream':
      return stream(r, b.subject, b.metric);
    case 'p2p':
      return p2p(r, b.metric);
    case 'cdn':
      return cdn(r, b.metric);
    case 'cost':
      return cost(r);
    default:
      return missing(`unknown budget kind \`${kind}\``);
  }
}

/** Whether `value op limit` holds. */
export function holds(value: number, op: BudgetSpec['op'], limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
  }
}

/**
 * The verdict on an interval: pass when every value in it satisfies the budget, fail when none
 * does, `null` (unsure) when it straddles the limit.
 */
export function intervalVerdict(ci: Interval, op: BudgetSpec['op'], limit: number): boolean | null {
  const [lo, hi] = ci;
  const all = op === '<' || op === '<=' ? holds(hi, op, limit) : holds(lo, op, limit);
  if (all) return true;
  const none = op === '<' || op === '<=' ? !holds(lo, op, limit) : !holds(hi, op, limit);
  return none ? false : null;
}

/** Evaluates every budget on `result`, in order. */
export function evaluateBudgets(result: RunResult, budgets: readonly BudgetSpec[]): BudgetResult[] {
  return budgets.map((bud): BudgetResult => {
    const m = measure(result, bud);
    if (m.noData !== undefined)
      return {
        expr: bud.expr,
        value: Number.NaN,
        limit: bud.limit,
        pass: bud.passWithoutData === true,
        noData: m.noData,
      };
    if (m.missing !== undefined || !Number.isFinite(m.value))
      return {
        expr: `${bud.expr} (${m.missing ?? 'no value in the result'})`,
        value: Number.NaN,
        limit: bud.limit,
        pass: false,
      };
    const out: BudgetResult = { expr: bud.expr, value: m.value, limit: bud.limit, pass: false };
    if (m.ci && Number.isFinite(m.ci[0]) && Number.isFinite(m.ci[1])) {
      out.ci = m.ci;
      out.pass = intervalVerdict(m.ci, bud.op, bud.limit);
    } else out.pass = holds(m.value, bud.op, bud.limit);
    if (out.pass === false && m.detail) out.expr = `${bud.expr} (${m.detail})`;
    return out;
  });
}
