/**
 * `backline serve <scenario> [--port N]`: the scenario as real HTTP services on 127.0.0.1 (the
 * twin). Prints the endpoints and what the twin does not serve, and serves until Ctrl-C or SIGTERM,
 * then closes every server. A port that is taken or out of range exits 2 at once, every server it had
 * opened closed again.
 *
 * `--metrics`/`--otlp` export each service's answers, latency and workers (`metrics/twin.ts`);
 * `--otlp` and `--traces <file>` export spans, continuing a client's W3C `traceparent`
 * (`loadtests/twin/tracing.ts`). The Zipkin file is written when the twin stops.
 */
import type { Command } from 'commander';
import { startTwin } from '../../loadtests/twin/twin.js';
import { describeUnserved } from '../../loadtests/twin/unserved.js';
import { loadScenario } from '../../scenarios/load.js';
import { firstRequest } from '../../scenarios/load-section.js';
import { EXIT } from '../exit.js';
import { type MetricsFlags, metricsOptions, startExporter } from '../metrics-flags.js';
import { collect, intOption } from '../options.js';
import { type TwinTraceFlags, twinTraceOptions, twinTracing, writeTwinTraces } from '../twin-traces.js';

/** Options of `serve`. */
export interface ServeCommandOptions extends MetricsFlags, TwinTraceFlags {
  port?: string;
  seed?: string;
  set: string[];
  json?: boolean;
  faults?: boolean;
}

/** Runs `serve` until a signal and returns the exit code. */
export async function serveCommand(arg: string, opts: ServeCommandOptions): Promise<number> {
  const scenario = loadScenario(arg, opts.set);
  const tracing = twinTracing(opts);
  const exporter = await startExporter(opts, { kind: 'twin', scenario: scenario.name });
  const twin = await startTwin(scenario, {
    port: intOption('port', opts.port, 0),
    seed: intOption('seed', opts.seed),
    faults: opts.faults !== false,
    ...(tracing ? { tracing } : {}),
  }).catch(async (err: unknown) => {
    await exporter?.close(0);
    throw err;
  });
  exporter?.followTwin(
    () => twin.figures(),
    () => twin.now(),
  );
  const e = twin.endpoints;
  if (opts.json) process.stdout.write(`${JSON.stringify(e)}\n`);
  else {
    const journeys = Object.keys(scenario.users.journeys);
    process.stdout.write(`twin of ${scenario.name} on ${e.url}\n`);
    for (const j of journeys) {
      const r = firstRequest(scenario.load?.requests?.[j]);
      process.stdout.write(
        `  journey ${j}: ${r ? `${r.method} ${e.url}${r.path}` : `GET ${e.url}/journeys/${j}`}\n`,
      );
    }
    for (const [name, url] of Object.entries(e.services))
      process.stdout.write(`  service ${name}: ${url}/routes/<route>\n`);
    for (const f of twin.faults) process.stdout.write(`  fault ${f.label} at ${f.at}s for ${f.for}s\n`);
    process.stdout.write(describeUnserved(twin.unserved));
    process.stdout.write('Ctrl-C stops.\n');
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await twin.stop();
  await exporter?.close(0);
  process.stderr.write(writeTwinTraces(opts.traces, twin.zipkin()));
  if (!opts.json) process.stdout.write('twin stopped\n');
  return EXIT.pass;
}

/** Registers `serve`. */
export function register(program: Command): void {
  const cmd = metricsOptions(program.command('serve'))
    .description('serve a scenario as real HTTP services on 127.0.0.1 (the twin) until Ctrl-C')
    .argument('<scenario>', 'scenario file or catalog name')
    .option('--port <n>', 'port of the edge (default: any free port)')
    .option('--seed <n>', 'seed of service times (overrides the scenario)')
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
    .option('--no-faults', 'do not apply the scenario fault timeline')
    .option('--json', 'print the endpoints as JSON');
  twinTraceOptions(cmd).action(async (scenario: string, opts: ServeCommandOptions) => {
    process.exitCode = await serveCommand(scenario, opts);
  });
}
