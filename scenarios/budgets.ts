/**
 * Budgets: the verdict a run is held to, written as `subject.metric: < limit` (`play.p99: < 400ms`,
 * `play.errors: < 0.5%`, `cost: < 50`). Limits are converted to the metric's unit: milliseconds
 * for latencies, seconds for stream lag, 0..1 for shares, per second for throughput.
 */
import * as z from 'zod';
import { didYouMean, listOf } from './suggest.js';
import { parseCount, parseDuration, parseRate, parseShare } from './units.js';
import { ValueError } from './value-error.js';

/** The unit a metric's limit is stored in. */
export type MetricUnit = 'ms' | 's' | 'share' | 'rate' | 'count' | 'money';

/** What a budget can be about. */
export type SubjectKind = 'journey' | 'step' | 'service' | 'store' | 'stream' | 'p2p' | 'cdn' | 'cost';

const LATENCY = { p50: 'ms', p90: 'ms', p95: 'ms', p99: 'ms', p999: 'ms', mean: 'ms', max: 'ms' } as const;

/** The metrics of each kind of subject and their units. */
export const METRICS: Record<SubjectKind, Record<string, MetricUnit>> = {
  journey: { ...LATENCY, errors: 'share', throughput: 'rate', checks: 'share' },
  /** A request step of a load flow: `play[get /v1/tracks].p99`. */
  step: { ...LATENCY, errors: 'share', checks: 'share' },
  service: {
    utilization: 'share',
    queue: 'count',
    rejected: 'count',
    breaker_open: 'count',
    expired: 'count',
    cost: 'money',
  },
  store: { ...LATENCY, cv: 'count', unavailable: 'count' },
  stream: { 'lag.p99': 's', 'lag.mean': 's', 'lag.max': 's' },
  p2p: {
    server_share: 'share',
    peer_share: 'share',
    cache_share: 'share',
    stutter: 'share',
    'start.p99': 'ms',
  },
  cdn: { hit_ratio: 'share', byte_hit_ratio: 'share' },
  cost: { cost: 'money' },
};

/** Every metric name with its unit (a name has the same unit wherever it appears). */
const UNIT_OF: Record<string, MetricUnit> = Object.assign({}, ...Object.values(METRICS));
const ALL_METRICS = Object.keys(UNIT_OF);

/** A comparison a budget makes. */
export type BudgetOp = '<' | '<=' | '>' | '>=';

/** A budget as the evaluator reads it. `line`/`col` locate it in the scenario (0 when unknown). */
export interface Budget {
  /** As written: `play.p99 < 400ms`. */
  expr: string;
  /** What it is about, resolved against the scenario's names. */
  kind: SubjectKind;
  /** Journey, service, store or stream name, or `p2p` / `cdn` / `cost`. */
  subject: string;
  metric: string;
  op: BudgetOp;
  /** In the metric's unit ({@link METRICS}). */
  limit: number;
  line: number;
  col: number;
  /** Written `… or no data`: over no samples the budget passes instead of failing the run. */
  passWithoutData?: boolean;
}

/** `play.p99` → subject and metric; `cost` alone is the whole run's cost. */
export function splitBudgetKey(key: string): { subject: string; metric: string } | undefined {
  const k = key.trim();
  if (k === 'cost') return { subject: 'cost', metric: 'cost' };
  // A flow step: `play[get /v1/tracks].p99`; the step name may hold dots and brackets (the metric
  // is after the last `].`).
  const step = /^([^.[\]]+\[[\s\S]+\])\.([A-Za-z0-9_]+)$/.exec(k);
  if (step) return { subject: step[1], metric: step[2] };
  const dot = k.indexOf('.');
  if (dot <= 0 || dot === k.length - 1) return undefined;
  return { subject: k.slice(0, dot), metric: k.slice(dot + 1) };
}

/** Reads a limit written in `unit`'s family (`400ms` → 400 for a latency in ms). */
function readLimit(text: string, unit: MetricUnit): number {
  switch (unit) {
    case 'ms':
      // Rounded so `400ms` is 400, not 400.00000000000006.
      return Number((parseDuration(text) * 1000).toPrecision(12));
    case 's':
      return parseDuration(text);
    case 'share':
      return parseShare(text);
    case 'rate':
      return parseRate(text);
    case 'count':
      return parseCount(text);
    case 'money':
      return parseCount(text.replace(/^[$\u20AC\u00A3]\s*/, ''));
  }
}

const EXAMPLE: Record<MetricUnit, string> = {
  ms: '< 400ms',
  s: '< 5s',
  share: '< 0.5%',
  rate: '> 2k/s',
  count: '< 100',
  money: '< 50',
};

/** What the schema makes of one entry before names are resolved (`kind` is set by the loader). */
export type ParsedBudget = Omit<Budget, 'kind'> & { kind?: SubjectKind };

/** The `budgets` mapping → a list of budgets in the order written. */
export const BudgetsSchema = z
  .record(z.string(), z.union([z.string(), z.number()]), {
    error: 'expected a mapping of budgets like `play.p99: < 400ms`',
  })
  .meta({ description: 'budgets like `play.p99: < 400ms`, `play.errors: < 0.5%`, `cost: < 50`' })
  .transform((raw, ctx): ParsedBudget[] => {
    const out: ParsedBudget[] = [];
    for (const [key, value] of Object.entries(raw)) {
      const split = splitBudgetKey(key);
      if (split === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          params: { atKey: true },
          message: `bad budget \`${key}\`: expected \`subject.metric\` like \`play.p99\` or \`cost\``,
        });
        continue;
      }
      const unit = UNIT_OF[split.metric];
      if (unit === undefined) {
        const hint = didYouMean(split.metric, ALL_METRICS) || `; metrics are ${listOf(ALL_METRICS)}`;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          params: { atKey: true },
          message: `unknown metric \`${split.metric}\` in budget \`${key}\`${hint}`,
        });
        continue;
      }
      // `< 400ms or no data`: a journey that may legitimately see nothing does not fail the run.
      const orNoData = /\s+or\s+no\s+data\s*$/i;
      const passWithoutData = orNoData.test(String(value));
      const m = /^\s*(<=|>=|<|>)\s*(\S.*?)\s*$/.exec(String(value).replace(orNoData, ''));
      if (m === null) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `bad budget \`${key}: ${value}\`: expected a comparison like \`${EXAMPLE[unit]}\``,
        });
        continue;
      }
      try {
        const limit = readLimit(m[2], unit);
        out.push({
          expr: `${key.trim()} ${m[1]} ${m[2]}${passWithoutData ? ' or no data' : ''}`,
          ...split,
          op: m[1] as BudgetOp,
          limit,
          line: 0,
          col: 0,
          ...(passWithoutData ? { passWithoutData } : {}),
        });
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${e.message} (budget \`${key}\`, e.g. \`${EXAMPLE[unit]}\`)`,
        });
      }
    }
    return out;
  });
