/**
 * `backline capacity <scenario> --budget 'play.p99 < 400ms'`: the highest Poisson arrival rate that
 * still meets the budget. It searches on the rate in rounds of simulated probes run side by side on
 * worker threads (`--per-round` rates a round, the same seed at every rate, so neighbouring rates see
 * common random numbers and the search is not thrown by noise; the rates a round probes depend only
 * on earlier verdicts, so the answer is the same serial or parallel), reports the bracket between
 * the highest passing and the lowest failing rate, judges the answer again over three independent
 * seeds (95 % interval per budget), and shows the analytic first estimate (M/M/c per station).
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { evaluateBudgets, holds } from '../../results/budgets.js';
import { UsageError } from '../../results/errors.js';
import type { RunResult } from '../../results/run-result.js';
import { type Budget, BudgetsSchema, splitBudgetKey } from '../../scenarios/budgets.js';
import { loadScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/schema.js';
import { simulateSync } from '../../sim/run.js';
import { type CapacityConfidence, confirmationSeed, judgeAnswer } from '../capacity-confidence.js';
import { estimateCapacity } from '../capacity-estimate.js';
import { formatCapacity, formatRound } from '../capacity-format.js';
import type { CapacityProgress, CapacityResult, Probe } from '../capacity-result.js';
import { bracket, nextRates, roundsLeft } from '../capacity-search.js';
import { EXIT } from '../exit.js';
import { collect, intOption } from '../options.js';
import { formatNumber } from '../sweep-grid.js';
import { openPool, type Pool } from '../sweep-pool.js';
import type { SweepJob } from '../sweep-worker.js';

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
  perRound: string;
  workers?: string;
}

/** Options of {@link findCapacity}. */
export interface FindCapacityOptions {
  set?: string[];
  budgets: string[];
  key?: string;
  seed?: number;
  replications?: number;
  tolerance?: number;
  maxRuns?: number;
  /** Shorter runs (a quarter of the duration, at least 3 warm-ups, covering every fault) and one replication. */
  quick?: boolean;
  /** Rates probed side by side per round (default 2). The answer depends on it, not on `workers`. */
  perRound?: number;
  /** Worker threads (default: `perRound`, at most one per core); 1 runs every probe in this thread. */
  workers?: number;
  /** Independent runs the answer is judged over (default 3: the search's and two more seeds). */
  confirmRuns?: number;
  onRound?: (round: readonly Probe[], progress: CapacityProgress) => void;
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

/** The probes' simulations: in this thread one after another, or side by side on a pool. */
function runJobs(jobs: SweepJob[], pool: Pool | undefined): Promise<RunResult[]> {
  if (!pool)
    return Promise.resolve(
      jobs.map((j) => simulateSync(j.scenario, { seed: j.seed, replications: j.replications })),
    );
  return pool.run(jobs);
}

/** Runs the search; pure of I/O except the simulations, so tests call it directly. */
export async function findCapacity(arg: string, opts: FindCapacityOptions): Promise<CapacityResult> {
  const key = opts.key ?? 'users.arrivals';
  const given = loadScenario(arg, opts.set ?? []);
  // Never cut a fault short: a capacity without the scenario's faults answers another question.
  const faultEnd = Math.max(0, ...given.faults.map((f) => f.at + f.for));
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
  const perRound = Math.max(1, opts.perRound ?? 2);
  const confirmRuns = Math.max(1, opts.confirmRuns ?? 3);
  const workers = Math.max(1, opts.workers ?? Math.min(perRound, availableParallelism()));
  const analytic = budgets.map((b) => estimateCapacity(base, b));
  const estimate = Math.min(...analytic.map((a) => a.rate));
  const start = {
    estimate,
    // At the bottleneck's saturation no budget holds for long: an upper end, not an estimate.
    estimateIsBound: analytic.some((a) => a.rate === estimate && a.rate >= a.saturation * (1 - 1e-9)),
    baseRate: base.users.arrivals.kind === 'poisson' ? base.users.arrivals.rate : 1,
  };
  const job = (id: number, rate: number, s: number): SweepJob => ({
    id,
    scenario: loadScenario(arg, [...sets, `${key}=${rateValue(key, rate)}`]),
    seed: s,
    replications,
  });
  const judge = (r: RunResult) => evaluateBudgets(r, budgets);

  const probes: Probe[] = [];
  const t0 = performance.now();
  let rounds = 0;
  const pool = workers > 1 ? openPool(workers) : undefined;
  let confidence: CapacityConfidence | undefined;
  try {
    for (;;) {
      const rates = nextRates(probes, start, Math.min(perRound, maxRuns - probes.length), tolerance);
      if (rates.length === 0) break;
      const results = await runJobs(
        rates.map((r, id) => job(id, r, seed)),
        pool,
      );
      const round = results.map((r, i): Probe => {
        const b = judge(r);
        const values = b.map((x) => x.value);
        return {
          rate: rates[i],
          values,
          cis: b.map((x) => x.ci ?? null),
          pass: budgets.every((x, j) => !Number.isNaN(values[j]) && holds(values[j], x.op, x.limit)),
        };
      });
      probes.push(...round);
      rounds++;
      const more = probes.length < maxRuns ? roundsLeft(probes, perRound, tolerance) : 0;
      const left = more + (confirmRuns > 1 ? 1 : 0);
      opts.onRound?.(round, {
        round: rounds,
        done: probes.length,
        roundsLeft: left,
        etaSeconds: (left * (performance.now() - t0)) / 1000 / rounds,
        interval: bracket(probes),
      });
    }
    const [lo] = bracket(probes);
    const found = probes.find((p) => p.rate === lo);
    if (found && confirmRuns > 1) {
      const seeds = Array.from({ length: confirmRuns - 1 }, (_, i) => confirmationSeed(seed, i + 1));
      const extra = await runJobs(
        seeds.map((s, id) => job(id, lo, s)),
        pool,
      );
      confidence = judgeAnswer(lo, [seed, ...seeds], budgets, [
        found.values,
        ...extra.map((r) => judge(r).map((x) => x.value)),
      ]);
    }
  } finally {
    await pool?.close();
  }
  const out: CapacityResult = {
    scenario: base.name,
    budgets: budgets.map((b) => b.expr),
    key,
    replications,
    seed,
    perRound,
    duration: base.duration,
    quick: Boolean(opts.quick),
    analytic,
    interval: bracket(probes),
    probes,
  };
  const [lo] = out.interval;
  if (lo > 0) out.rate = lo;
  if (confidence) out.confidence = confidence;
  if (key === 'users.arrivals' && base.users.arrivals.kind !== 'poisson')
    out.note = `the scenario's ${base.users.arrivals.kind} arrivals were replaced by steady Poisson arrivals at each rate probed`;
  return out;
}

/** Runs `capacity` and returns the exit code: 1 when no probed rate met the budget. */
export async function capacityCommand(arg: string, opts: CapacityCommandOptions): Promise<number> {
  const tolerance =
    Number(String(opts.tolerance).replace(/%$/, '')) / (String(opts.tolerance).endsWith('%') ? 100 : 1);
  if (!(tolerance > 0 && tolerance < 1))
    throw new UsageError(`--tolerance expects a share like \`2%\`, got \`${opts.tolerance}\``);
  const result = await findCapacity(arg, {
    set: opts.set,
    budgets: opts.budget,
    key: opts.journeyRateKey,
    seed: intOption('seed', opts.seed),
    replications: intOption('replications', opts.replications, 1),
    tolerance,
    maxRuns: intOption('max-runs', opts.maxRuns, 2),
    quick: opts.quick,
    perRound: intOption('per-round', opts.perRound, 1),
    workers: intOption('workers', opts.workers, 1),
    onRound: opts.json ? undefined : (round, g) => process.stderr.write(formatRound(round, g)),
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
    .option(
      '--max-runs <n>',
      'at most this many probes (not counting the three runs judging the answer)',
      '16',
    )
    .option(
      '--per-round <n>',
      'rates probed side by side per round (the answer depends on this, not on --workers)',
      '2',
    )
    .option('--workers <n>', 'worker threads (default: --per-round, at most one per core; 1: no threads)')
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
