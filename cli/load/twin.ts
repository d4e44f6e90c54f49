/**
 * `load --twin`: the scenario served on loopback in its own process for the length of the load,
 * and what the twin adds to the result once it stops (its services, the faults that fired, the
 * journeys it cannot serve as the real system would).
 */
import type { TwinProcess } from '../../loadtests/twin/process.js';
import type { TracingOptions } from '../../loadtests/twin/tracing.js';
import type { RunResult } from '../../results/run-result.js';
import type { Scenario } from '../../scenarios/load.js';
import { writeTwinTraces } from '../twin-traces.js';

/** Starts the twin and, unless `quiet`, says where it serves and what it does not. */
export async function startLoadTwin(
  scenario: Scenario,
  opts: {
    port: number | undefined;
    seed: number | undefined;
    figures: boolean;
    tracing: TracingOptions | undefined;
    quiet: boolean;
  },
): Promise<TwinProcess> {
  // Its own process: the generator's work must not delay the twin's timers, nor the reverse.
  const { spawnTwin } = await import('../../loadtests/twin/process.js');
  // The load generator sends no `traceparent`: each journey's trace starts at the twin's edge.
  const tracing = opts.tracing ? { tracing: opts.tracing } : {};
  const twin = await spawnTwin(scenario, {
    port: opts.port,
    seed: opts.seed,
    figures: opts.figures,
    ...tracing,
  });
  if (!opts.quiet) {
    const { describeUnserved } = await import('../../loadtests/twin/unserved.js');
    process.stderr.write(
      `twin serving ${scenario.name} at ${twin.endpoints.url} (process ${twin.pid})\n${describeUnserved(twin.unserved)}`,
    );
  }
  return twin;
}

/** What a stopped twin hands to the result. */
export interface TwinLeftovers {
  services: RunResult['services'];
  faults: RunResult['faults'];
  notComparable: Record<string, string>;
  /** What became of the `--traces` file: the line saying so, or why it was not written. */
  traces: { said: string; error?: unknown };
}

/**
 * Stops the twin and collects its part of the result, writing its spans to `traces` when given;
 * runs also when the load failed or was stopped, so what was traced is kept. What to say about the
 * file, or why it could not be written, is returned for the caller to say once the dashboard is done.
 */
export async function stopLoadTwin(twin: TwinProcess, traces: string | undefined): Promise<TwinLeftovers> {
  // Only the faults that fired: a run stopped early never saw the later ones. The service
  // counters are the twin's last snapshot, sent as it stops.
  const now = twin.now();
  const faults = twin.faults.filter((f) => f.at <= now);
  await twin.stop();
  let written: TwinLeftovers['traces'];
  try {
    written = { said: writeTwinTraces(traces, twin.zipkin()) };
  } catch (error) {
    written = { said: '', error };
  }
  const notComparable = Object.fromEntries(
    twin.unserved.flatMap((u) => u.journeys.map((j) => [j, `${u.part} is not served by the twin`])),
  );
  return { services: twin.services(), faults, notComparable, traces: written };
}

/** Puts the twin's part into the result. */
export function addTwin(result: RunResult, left: TwinLeftovers): void {
  result.services = left.services;
  if (left.faults?.length) result.faults = left.faults;
  if (Object.keys(left.notComparable).length > 0) result.notComparable = left.notComparable;
}
