/**
 * `backline capacity <scenario> --budget 'play.p99 < 400ms'`: the highest Poisson arrival rate that
 * still meets the budget. It bisects on the rate with simulated replications (the same seed at every
 * rate, so neighbouring rates see common random numbers and the search is not thrown by noise),
 * reports the answer as the interval between the highest passing and the lowest failing rate, and
 * shows the analytic first estimate (M/M/c per station) beside it.
 */
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
}

/** One simulated probe of the search. */
export interface Probe {
  rate: number;
  /** The budget metric measured (ms, 0..1 or /s), per budget. */
  values: number[];
  pass: boolean;
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
    onProbe?: (p: Probe) => void;
  },
): CapacityResult {
  const sets = opts.set ?? [];
  const key = opts.key ?? 'users.arrivals';
  const base = loadScenario(arg, sets);
  if (opts.budgets.length === 0)
    throw new UsageError('capacity needs a `--budget` such as `play.p99 < 400ms`');
  const budgets = opts.budgets.map((e) => parseBudget(e, base));
  const seed = opts.seed ?? base.seed;
  const replications = opts.replications ?? Math.max(3, base.replications);
  const tolerance = opts.tolerance ?? 0.02;
  const maxRuns = opts.maxRuns ?? 16;
  const analytic = budgets.map((b) => estimateCapacity(base, b));

  const probes: Probe[] = [];
  const probe = (rate: number): boolean => {
    const s = loadScenario(arg, [...sets, `${key}=${rateValue(key, rate)}`]);
    const r = simulateSync(s, { seed, replications });
    const values = evaluateBudgets(r, budgets).map((b) => b.value);
    const pass = budgets.every((b, i) => !Number.isNaN(values[i]) && holds(values[i], b.op, b.limit));
    const p = { rate, values, pass };
    probes.push(p);
    opts.onProbe?.(p);
    return pass;
  };

  // Start from the analytic answer (or the scenario's own rate), then bracket and bisect.
  const first = Math.min(...analytic.map((a) => a.rate));
  const baseRate = base.users.arrivals.kind === 'poisson' ? base.users.arrivals.rate : 1;
  let x = Number.isFinite(first) && first > 0 ? first : baseRate;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
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
    onProbe: opts.json
      ? undefined
      : (p) =>
          process.stderr.write(
            `probe ${rate(p.rate)}: ${p.values.map((v) => formatNumber(Number(v.toPrecision(4)))).join(', ')} ${p.pass ? 'pass' : 'fail'}\n`,
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
    .option('--json', 'print the result as JSON')
    .option('--seed <n>', 'master seed (overrides the scenario)')
    .option('--replications <n>', 'replications per probe (default: the scenario’s, at least 3)')
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
    .action(async (scenario: string, opts: CapacityCommandOptions) => {
      process.exitCode = await capacityCommand(scenario, opts);
    });
}
