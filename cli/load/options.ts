/**
 * The options of `backline load`, checked and turned into numbers before anything starts: a bad
 * value is a usage error (exit 2) while nothing runs yet.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { LoadOptions } from '../../loadtests/autocannon/driver.js';
import { CLINIC_TOOLS, type ClinicTool } from '../../loadtests/profile/clinic.js';
import type { TracingOptions } from '../../loadtests/twin/tracing.js';
import { UsageError } from '../../results/errors.js';
import type { Scenario } from '../../scenarios/load.js';
import { parseDuration } from '../../scenarios/units.js';
import type { MetricsFlags } from '../metrics-flags.js';
import { collect, intOption } from '../options.js';
import { type TwinTraceFlags, twinTraceOptions, twinTracing } from '../twin-traces.js';

/** Options of `load`. */
export interface LoadCommandOptions extends MetricsFlags, TwinTraceFlags {
  json?: boolean;
  seed?: string;
  set: string[];
  target?: string;
  tool?: string;
  twin?: boolean;
  predict?: boolean;
  port?: string;
  rate?: string;
  duration?: string;
  connections?: string;
  max?: boolean;
  warmup?: string;
  timeout?: string;
  out?: string;
  /** A clinic tool; the target command comes after `--`. */
  profile?: string;
  /** False with `--no-dashboard`. */
  dashboard?: boolean;
  /** Worker threads of the in-process driver; `allowLate` judges budgets of a late generator. */
  workers?: string;
  allowLate?: boolean;
}

/** `load`'s options as checked values. */
export interface LoadSettings {
  profile: ClinicTool | undefined;
  tool: 'autocannon' | 'k6';
  seed: number | undefined;
  rate: number | undefined;
  duration: number | undefined;
  warmup: number;
  timeout: number | undefined;
  connections: number | undefined;
  workers: LoadOptions['workers'];
  port: number | undefined;
  /** The twin's spans (`--twin` with `--otlp` or `--traces`). */
  tracing: TracingOptions | undefined;
}

/** A duration option in seconds: `30s`, `2m`, or a bare number of seconds. */
export function seconds(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseDuration(/^\d+(\.\d+)?$/.test(v) ? `${v}s` : v);
  } catch {
    throw new UsageError(`--${name} expects a duration like 30s or 2m, got \`${v}\``);
  }
}

function profileTool(opts: LoadCommandOptions, command: string[]): ClinicTool | undefined {
  const profile = opts.profile as ClinicTool | undefined;
  if (profile === ('bubbleprof' as ClinicTool))
    throw new UsageError(
      '--profile bubbleprof is not offered: on Node 20+ clinic bubbleprof never stops its target (clinicjs/node-clinic#477); use doctor, flame or heapprofiler',
    );
  if (profile !== undefined && !CLINIC_TOOLS.includes(profile))
    throw new UsageError(`--profile expects one of ${CLINIC_TOOLS.join(', ')}, got \`${opts.profile}\``);
  if (profile && opts.twin)
    throw new UsageError('--profile starts its own target; it cannot be combined with --twin');
  if (profile && command.length === 0)
    throw new UsageError('--profile needs the target command after `--`, e.g. `-- node server.js`');
  if (!profile && command.length > 0)
    throw new UsageError(
      `unexpected arguments \`${command.join(' ')}\`: a target command is only taken with --profile`,
    );
  return profile;
}

/** The twin's tracing; without `--twin` there are no spans to keep (`--otlp` is metrics alone). */
function tracing(opts: LoadCommandOptions): TracingOptions | undefined {
  if (opts.twin) return twinTracing(opts);
  for (const [given, flag] of [
    [opts.traces, '--traces'],
    [opts.traceSample, '--trace-sample'],
  ] as const)
    if (given !== undefined)
      throw new UsageError(
        `${flag} is about the twin's spans and needs --twin (a target of your own exports its own traces)`,
      );
  return undefined;
}

/** Checks `load`'s options against each other and the scenario; throws {@link UsageError}. */
export function loadSettings(
  scenario: Pick<Scenario, 'load'>,
  opts: LoadCommandOptions,
  command: string[],
): LoadSettings {
  const profile = profileTool(opts, command);
  const seed = intOption('seed', opts.seed);
  const tool = opts.tool ?? scenario.load?.tool ?? 'autocannon';
  if (tool !== 'autocannon' && tool !== 'k6')
    throw new UsageError(`--tool expects autocannon or k6, got \`${tool}\``);
  const rate = opts.rate === undefined ? undefined : Number(opts.rate);
  if (rate !== undefined && !(rate > 0))
    throw new UsageError(`--rate expects a positive number per second, got \`${opts.rate}\``);
  const duration = seconds('duration', opts.duration);
  // The twin's first second sets up connections on both sides; leave it out unless told otherwise.
  const warmup = seconds('warmup', opts.warmup) ?? (opts.twin ? Math.min(1, (duration ?? 4) / 4) : 0);
  const timeout = seconds('timeout', opts.timeout);
  const connections = intOption('connections', opts.connections, 1);
  // Not given: cores - 1 (- 1 more for a twin), fewer when the load is light or short (printed).
  const workers =
    opts.workers === undefined
      ? { auto: true as const, cores: availableParallelism(), twin: Boolean(opts.twin) }
      : intOption('workers', opts.workers, 1);
  const port = intOption('port', opts.port, 0);
  return {
    profile,
    tool,
    seed,
    rate,
    duration,
    warmup,
    timeout,
    connections,
    workers,
    port,
    tracing: tracing(opts),
  };
}

/** Declares `load`'s options on its command. */
export function loadOptions(cmd: Command): Command {
  return twinTraceOptions(cmd)
    .option('--json', 'print the RunResult as JSON on stdout')
    .option('--seed <n>', 'seed of journey choice and templates (overrides the scenario)')
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
    .option('--target <url>', 'base URL to load (overrides load.target; must be loopback or in load.allow)')
    .option('--tool <name>', 'autocannon (in-process driver) or k6')
    .option('--twin', 'serve the scenario on loopback and load that')
    .option('--predict', 'also simulate the scenario and report predicted beside measured')
    .option('--port <n>', 'port of the twin (default: any free port)')
    .option('--rate <n>', 'constant offered rate per second instead of the profile')
    .option('--duration <d>', 'how long to load (e.g. 30s; bounded by load.maxDuration)')
    .option('--connections <n>', 'keep-alive connections (overrides load.connections)')
    .option('--max', 'closed-loop maximum throughput on autocannon instead of the profile')
    .option('--warmup <d>', 'leading time whose requests are sent but not measured (default 1s with --twin)')
    .option('--timeout <d>', 'per-request timeout (default 10s)')
    .option(
      '--workers <n>',
      'generator threads, each a slice of the arrivals (default: cores - 1, - 1 more with --twin, fewer for a light or short run)',
    )
    .option('--allow-late', 'judge the budgets even when the generator fell behind (warn instead of exit 3)')
    .option('--out <dir>', 'write the reports into this directory')
    .option(
      '--profile <tool>',
      `start the target command under clinic (${CLINIC_TOOLS.join(', ')}) while the load runs`,
    )
    .option(
      '--no-dashboard',
      'print plain progress lines instead of the live dashboard (q stops, keeps partial)',
    );
}
