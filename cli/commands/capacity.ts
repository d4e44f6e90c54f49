/**
 * `backline capacity <scenario> --budget 'play.p99 < 400ms'`: the highest Poisson arrival rate that
 * still meets the budget. It bisects on the rate with simulated replications (the same seed at every
 * rate, so neighbouring rates see common random numbers and the search is not thrown by noise),
 * reports the answer as the interval between the highest passing and the lowest failing rate, and
 * shows the analytic first estimate (M/M/c per station) beside it.
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { evaluateBudgets, holds } from '../../results/budgets.js';
import { UsageError } from '../../results/errors.js';
import { type Budget, BudgetsSchema, splitBudgetKey } from '../../scenarios/budgets.js';
import { loadScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/schema.js';
import { simulateSync } from '../../sim/run.js';
import { type CapacityEstimate, estimateCapacity } from '../capacity-estimate.js';
import { EXIT } from '../exit.js';
import { table } from '../format.js';
import { collect, intOption } from '../options.js';
import { formatNumber } from '../sweep-grid.js';

/** Options of `capacity`. */
export interface CapacityCommandOptions {
  json?: boolean;
  seed?: string;
  replications?: string;
  set: string[];
  budget: string[];
  journeyRateKey: string;
  tolerance: string;
  maxRuns: string;
  quick?: boolean;
}

/** One simulated probe of the search. */
export interface Probe {
  rate: number;
  /** The budget metric measured (ms, 0..1 or /s), per budget. */
  values: number[];
  pass: boolean;
}

/** Where the search stands after a probe. */
export interface CapacityProgress {
  done: number;
  /** Probes still expected (bisection steps to the tolerance, bounded by --max-runs). */
  left: number;
  etaSeconds: number;
  interval: [number, number];
}

/** What `capacity --json` prints. */
export interface CapacityResult {
  scenario: string;
  budgets: string[];
  key: string;
  replications: number;
  seed: number;
  analytic: CapacityEstimate[];
  /** Highest simulated rate meeting every budget (undefined when none did). */
  rate?: number;
  /** The answer lies between the highest passing and the lowest failing rate probed. */
  interval: [number, number];
  probes: Probe[];
  /** Said when the search changed the scenario's kind of arrivals. */
  note?: string;
}

/** Parses `play.p99 < 400ms` against the scenario's names. */
export function parseBudget(expr: string, s: Scenario): Budget {
  const m = /^\s*([^<>=\s]+)\s*(<=|>=|<|>)\s*(.+?)\s*$/.exec(expr);
  const split = m ? splitBudgetKey(m[1]) : undefined;
  if (!m || !split)
    throw new UsageError(
      `--budget: expected \`journey.metric < limit\` like \`play.p99 < 400ms\`, got \`${expr}\``,
    );
  const parsed = BudgetsSchema.safeParse({ [m[1]]: `${m[2]} ${m[3]}` });
  if (!parsed.success || parsed.data.length !== 1)
    throw new UsageError(`--budget \`${expr}\`: ${parsed.error?.issues[0]?.message ?? 'not understood'}`);
  const b = parsed.data[0];
  const sub = split.subject;
  const has = (o: object | undefined) => o !== undefined && Object.hasOwn(o, sub);
  const kind: Budget['kind'] | undefined = has(s.users.journeys)
    ? 'journey'
    : has(s.services)
      ? 'service'
      : has(s.stores)
        ? 'store'
        : has(s.streams)
          ? 'stream'
          : sub === 'p2p' || sub === 'cdn' || sub === 'cost'
            ? sub
            : undefined;
  if (!kind)
    throw new UsageError(
      `--budget \`${expr}\`: \`${sub}\` is not a journey (${Object.keys(s.users.journeys).join(', ')}), service, store or stream`,
    );
  return { ...b, kind };
}

/** The `--set` value that makes the arrival rate `rate` per second. */
function rateValue(key: string, rate: number): string {
  const r = formatNumber(rate);
  return key.endsWith('arrivals') ? `poisson(${r}/s)` : `${r}/s`;
}

/** Runs the search; pure of I/O except the simulations, so tests call it directly. */
export function findCapacity(
  arg: string,
  opts: {
    set?: string[];
    budgets: string[];
    key?: string;
    seed?: number;
    replications?: number;
    tolerance?: number;
    maxRuns?: number;
    /** Shorter runs (a quarter of the duration, at least 3 warm-ups, covering every fault) and one replication. */
    quick?: boolean;
    onProbe?: (p: Probe, progress: CapacityProgress) => void;
  },
): CapacityResult {
  const key = opts.key ?? 'users.arrivals';
  const given = loadScenario(arg, opts.set ?? []);
  // Never cut a fault short: a capacity without the scenario's faults answers another question.
  const faultEnd = Math.max(0, ...(given.faults ?? []).map((f) => f.at + f.for));
  const quickDuration = Math.max(given.duration / 4, given.warmup * 3, faultEnd, 1);
  const sets =
    opts.quick && quickDuration < given.duration
      ? [...(opts.set ?? []), `duration=${formatNumber(quickDuration)}s`]
      : (opts.set ?? []);
  const base = opts.quick ? loadScenario(arg, sets) : given;
  // Without --budget: the scenario's own journey and service budgets.
  const exprs = opts.budgets.length
    ? opts.budgets
    : base.budgets.filter((b) => b.kind === 'journey' || b.kind === 'service').map((b) => b.expr);
  if (exprs.length === 0) throw new UsageError('capacity needs a `--budget` such as `play.p99 < 400ms`');
  const budgets = exprs.map((e) => parseBudget(e, base));
  const seed = opts.seed ?? base.seed;
  const replications = opts.replications ?? (opts.quick ? 1 : Math.max(3, base.replications));
  const tolerance = Math.max(opts.tolerance ?? 0.02, opts.quick ? 0.05 : 0);
  const maxRuns = Math.min(opts.maxRuns ?? 16, opts.quick ? 8 : Number.POSITIVE_INFINITY);
  const analytic = budgets.map((b) => estimateCapacity(base, b));

  const probes: Probe[] = [];
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  const t0 = performance.now();
  const probe = (rate: number): boolean => {
    const s = loadScenario(arg, [...sets, `${key}=${rateValue(key, rate)}`]);
    const r = simulateSync(s, { seed, replications });
    const values = evaluateBudgets(r, budgets).map((b) => b.value);
    const pass = budgets.every((b, i) => !Number.isNaN(values[i]) && holds(values[i], b.op, b.limit));
    const p = { rate, values, pass };
    probes.push(p);
    if (pass) lo = Math.max(lo, rate);
    else hi = Math.min(hi, rate);
    // Bisection halves the interval per probe; before both ends are known, assume 3 more.
    const bisections =
      lo > 0 && Number.isFinite(hi) ? Math.max(0, Math.ceil(Math.log2((hi - lo) / lo / tolerance))) : 3;
    const left = Math.min(maxRuns - probes.length, bisections);
    const perProbe = (performance.now() - t0) / 1000 / probes.length;
    opts.onProbe?.(p, { done: probes.length, left, etaSeconds: left * perProbe, interval: [lo, hi] });
    return pass;
  };

  // Start from the analytic answer (or the scenario's own rate), then bracket and bisect.
  const first = Math.min(...analytic.map((a) => a.rate));
  const baseRate = base.users.arrivals.kind === 'poisson' ? base.users.arrivals.rate : 1;
  let x = Number.isFinite(first) && first > 0 ? first : baseRate;
  if (probe(x)) {
    lo = x;
    while (probes.length < maxRuns && !Number.isFinite(hi)) {
      x *= 1.1;
      if (probe(x)) lo = x;
      else hi = x;
    }
  } else {
    hi = x;
    while (probes.length < maxRuns && lo === 0) {
      x /= 1.1;
      if (probe(x)) lo = x;
      else hi = x;
    }
  }
  while (probes.length < maxRuns && lo > 0 && Number.isFinite(hi) && (hi - lo) / lo > tolerance) {
    const mid = (lo + hi) / 2;
    if (probe(mid)) lo = mid;
    else hi = mid;
  }
  const out: CapacityResult = {
    scenario: base.name,
    budgets: budgets.map((b) => b.expr),
    key,
    replications,
    seed,
    analytic,
    interval: [lo, hi],
    probes,
  };
  if (lo > 0) out.rate = lo;
  if (key === 'users.arrivals' && base.users.arrivals.kind !== 'poisson')
    out.note = `the scenario's ${base.users.arrivals.kind} arrivals were replaced by steady Poisson arrivals at each rate probed`;
  return out;
}

const rate = (x: number) => (Number.isFinite(x) ? `${formatNumber(Number(x.toPrecision(4)))}/s` : '∞');

/** The human report. */
export function formatCapacity(c: CapacityResult): string {
  const lines = [
    `${c.scenario}: capacity under ${c.budgets.join(' and ')}  (${c.replications} replications per rate)`,
    '',
  ];
  const rows = [['', 'arrival rate', 'how']];
  c.analytic.forEach((a, i) => {
    rows.push([`analytic${c.analytic.length > 1 ? ` (${c.budgets[i]})` : ''}`, rate(a.rate), a.method]);
    rows.push(['saturation', rate(a.saturation), `bottleneck ${a.bottleneck} at ρ = 1`]);
  });
  rows.push([
    'simulated',
    c.rate === undefined ? 'none' : rate(c.rate),
    c.rate === undefined
      ? `no probed rate met the budget (lowest ${rate(c.interval[1])})`
      : `answer in [${rate(c.interval[0])}, ${rate(c.interval[1])}] (highest passing, lowest failing)`,
  ]);
  // The last column is prose: keep it left-aligned after the aligned numbers.
  const aligned = table(rows.map((r) => r.slice(0, 2))).split('\n');
  lines.push(...aligned.map((l, i) => `${l}  ${rows[i][2]}`), '', 'probes:');
  const prows = [['rate', ...c.budgets, 'verdict']];
  for (const p of [...c.probes].sort((a, b) => a.rate - b.rate))
    prows.push([
      rate(p.rate),
      ...p.values.map((v) => formatNumber(Number(v.toPrecision(4)))),
      p.pass ? 'pass' : 'FAIL',
    ]);
  lines.push(table(prows));
  if (c.note) lines.push('', `note: ${c.note}`);
  return `${lines.join('\n')}\n`;
}

/** Runs `capacity` and returns the exit code: 1 when no probed rate met the budget. */
export async function capacityCommand(arg: string, opts: CapacityCommandOptions): Promise<number> {
  const tolerance =
    Number(String(opts.tolerance).replace(/%$/, '')) / (String(opts.tolerance).endsWith('%') ? 100 : 1);
  if (!(tolerance > 0 && tolerance < 1))
    throw new UsageError(`--tolerance expects a share like \`2%\`, got \`${opts.tolerance}\``);
  const result = findCapacity(arg, {
    set: opts.set,
    budgets: opts.budget,
    key: opts.journeyRateKey,
    seed: intOption('seed', opts.seed),
    replications: intOption('replications', opts.replications, 1),
    tolerance,
    maxRuns: intOption('max-runs', opts.maxRuns, 2),
    quick: opts.quick,
    onProbe: opts.json
      ? undefined
      : (p, g) =>
          process.stderr.write(
            `probe ${g.done} ${rate(p.rate)}: ${p.values.map((v) => formatNumber(Number(v.toPrecision(4)))).join(', ')} ${p.pass ? 'pass' : 'fail'} · interval [${rate(g.interval[0])}, ${rate(g.interval[1])}] · about ${g.left} more, ~${Math.ceil(g.etaSeconds)} s left\n`,
          ),
  });
  process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatCapacity(result));
  return result.rate === undefined ? EXIT.budget : EXIT.pass;
}

/** Registers `capacity`. */
export function register(program: Command): void {
  program
    .command('capacity')
    .description(
      'find the highest arrival rate that meets a budget (simulated bisection + analytic estimate)',
    )
    .argument('<scenario>', 'scenario file or catalog name')
    .option(
      '--budget <expr>',
      'budget to meet, e.g. `play.p99 < 400ms` (repeatable: all must hold)',
      collect,
      [],
    )
    .option('--journey-rate-key <key>', 'the --set key that holds the arrival process', 'users.arrivals')
    .option('--tolerance <share>', 'stop when the interval is this narrow, relative', '2%')
    .option('--max-runs <n>', 'at most this many probes', '16')
    .option(
      '--quick',
      'shorter runs (¼ of the duration, never cutting a fault), 1 replication, 5 % tolerance, at most 8 probes',
    )
    .option('--json', 'print the result as JSON')
    .option('--seed <n>', 'master seed (overrides the scenario)')
    .option('--replications <n>', 'replications per probe (default: the scenario’s, at least 3)')
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
    .action(async (scenario: string, opts: CapacityCommandOptions) => {
      process.exitCode = await capacityCommand(scenario, opts);
    });
}
