/**
 * Everything a run's flows need, built once from the plan: feeds read (once), templates compiled
 * against the names they may use, feed secrets registered for redaction, and the executor the
 * scheduler starts journeys through.
 */
import { readFeed } from '../../scenarios/load-feeds.js';
import type { Feed } from '../../scenarios/schema.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import type { RequestPlan } from '../plan.js';
import type { Transport } from '../transport/transport.js';
import { type CompiledStep, compileFlow } from './compile.js';
import { FeedCursor } from './feeds.js';
import { FlowExecutor, type FlowProgram, FlowRunner, type FlowRunOptions, SESSION } from './runner.js';
import { FlowStats } from './stats.js';
import { UserPool } from './users.js';

/** A run's compiled flows with their feeds. */
export interface FlowSetup {
  program: FlowProgram;
  feeds: FeedCursor[];
  /** Request step names per flow (journeys, and `session` when there is one). */
  stepNames: Record<string, string[]>;
}

const names = (steps: readonly CompiledStep[]) =>
  steps.flatMap((s) => (s.kind === 'request' ? [s.name] : []));

/**
 * Compiles `plan`'s flows; `feeds` are the scenario's `load.feeds` (files already resolved);
 * `slice` is this generator thread's share of the feeds' rows (see {@link FeedCursor}).
 */
export function setupFlows(
  plan: RequestPlan,
  feeds: Record<string, Feed>,
  slice?: { index: number; count: number },
): FlowSetup {
  const streams = new RandomStreams(plan.seed, 0);
  const cursors = Object.entries(feeds).map(([name, feed]) => {
    const data = readFeed(feed.file);
    // Secret columns are redacted from anything written, like `${env.X}` values.
    for (const c of feed.secret) {
      const col = data.columns.indexOf(c);
      for (const row of data.rows) plan.secrets.remember(row[col]);
    }
    return new FeedCursor(name, feed, data, streams.stream(`load:feed:${name}`), slice);
  });
  const scope = {
    vars: new Set<string>(),
    feeds: new Map(cursors.map((c) => [c.name, c.data.columns])),
  };
  for (const steps of [plan.session ?? [], ...plan.journeys.map((j) => j.steps)])
    for (const s of steps) if (s.kind === 'request') for (const c of s.capture) scope.vars.add(c.name);
  const cc = { sources: plan.sources, secrets: plan.secrets, scope, rng: streams.stream('load:flow-think') };
  const program: FlowProgram = {
    journeys: plan.journeys.map((j) => ({
      name: j.name,
      steps: compileFlow(j.steps, cc, `load.requests.${j.name}`),
    })),
  };
  if (plan.session) program.session = compileFlow(plan.session, cc, 'load.session');
  const stepNames: Record<string, string[]> = {};
  for (const j of program.journeys) stepNames[j.name] = names(j.steps);
  if (program.session) stepNames[SESSION] = names(program.session);
  return { program, feeds: cursors, stepNames };
}

/** A ready executor and the stats it records into. */
export interface FlowRun {
  executor: FlowExecutor;
  stats: FlowStats;
  users: UserPool;
}

/** Starts executing `setup` over `transport` against `host` (for the cookie jars). */
export function flowRun(setup: FlowSetup, transport: Transport, host: string, opts: FlowRunOptions): FlowRun {
  const stats = new FlowStats(setup.stepNames);
  const users = new UserPool(setup.feeds, host);
  const runner = new FlowRunner(setup.program, transport, stats, opts);
  return { executor: new FlowExecutor(runner, users, opts.t0), stats, users };
}
