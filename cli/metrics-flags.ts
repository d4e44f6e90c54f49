/**
 * `--metrics [host:]port` and `--otlp <url>` for the commands that run something (`run`, `sim`,
 * `load`, `serve`). The exporter is imported only when asked for, so other runs never load
 * prom-client or OpenTelemetry.
 */
import type { Command } from 'commander';
import type { MetricsExporter } from '../metrics/export.js';
import type { RunLabels } from '../metrics/prometheus.js';

/** The two flags as commander hands them over. */
export interface MetricsFlags {
  metrics?: string;
  otlp?: string;
}

/** Adds `--metrics` and `--otlp` to a command. */
export function metricsOptions(cmd: Command): Command {
  return cmd
    .option(
      '--metrics <[host:]port>',
      'serve Prometheus metrics at http://host:port/metrics (host defaults to 127.0.0.1)',
    )
    .option(
      '--otlp <url>',
      'push the same metrics to an OTLP/HTTP collector (e.g. http://127.0.0.1:4318); from a twin, its spans too',
    );
}

/** Starts the exporter the flags ask for (undefined when none) and says where on stderr. */
export async function startExporter(
  flags: MetricsFlags,
  run: RunLabels,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<MetricsExporter | undefined> {
  if (!flags.metrics && !flags.otlp) return undefined;
  const { MetricsExporter } = await import('../metrics/export.js');
  const exporter = await MetricsExporter.start(flags, run);
  if (exporter?.server) {
    stderr.write(`metrics at ${exporter.server.url}\n`);
    if (!exporter.loopback)
      stderr.write(`warning: metrics listen on ${exporter.server.url}, reachable beyond this machine\n`);
  }
  return exporter;
}
