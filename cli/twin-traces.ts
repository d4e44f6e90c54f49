/**
 * The twin's spans on the command line, one code path for `serve` and `load --twin`: `--traces
 * <file>` (Zipkin v2 JSON, written when the twin stops) and `--trace-sample`, checked before
 * anything starts, and the file written with the safe writer once the twin has stopped.
 */
import type { Command } from 'commander';
import type { TracingOptions } from '../loadtests/twin/tracing.js';
import type { ZipkinSpans } from '../loadtests/twin/zipkin.js';
import { UsageError } from '../results/errors.js';
import { traceSampleOption } from './options.js';
import { checkWritable, writeAtomic } from './write-file.js';

/** The flags that ask the twin for spans. */
export interface TwinTraceFlags {
  /** OTLP/HTTP collector (metrics and spans). */
  otlp?: string;
  /** Write the twin's spans as Zipkin v2 JSON to this file when it stops. */
  traces?: string;
  traceSample?: string;
}

/** Declares `--traces <file>` and `--trace-sample <share>`. */
export function twinTraceOptions(cmd: Command): Command {
  return cmd
    .option('--traces <file>', "write the twin's spans as Zipkin v2 JSON to this file when the twin stops")
    .option(
      '--trace-sample <share>',
      'share of new traces kept with --traces/--otlp, e.g. 10% (default 100%; a traceparent decides its own)',
    );
}

/**
 * The twin's tracing the flags ask for (undefined: none). Throws {@link UsageError} for a sample
 * without a destination, and for a `--traces` path that could not be written: the file is written
 * when the twin stops, and a run must not find out only then.
 */
export function twinTracing(flags: TwinTraceFlags): TracingOptions | undefined {
  const tracing = flags.otlp !== undefined || flags.traces !== undefined;
  if (flags.traceSample !== undefined && !tracing)
    throw new UsageError('--trace-sample needs --traces <file> or --otlp <url>');
  const sample = traceSampleOption(flags.traceSample, 1);
  if (flags.traces !== undefined) checkWritable(flags.traces);
  return tracing ? { otlp: flags.otlp, zipkin: flags.traces !== undefined, sample } : undefined;
}

/**
 * Writes the spans a stopped twin kept to `path` (nothing without `path`) and returns the line that
 * says how many, for the caller to print where it does not tear a live dashboard.
 */
export function writeTwinTraces(path: string | undefined, spans: ZipkinSpans | undefined): string {
  if (path === undefined) return '';
  if (!spans) return `no spans for ${path}: the twin's process ended before handing them over\n`;
  writeAtomic(path, JSON.stringify(spans.spans));
  const cut = spans.dropped > 0 ? ` (${spans.dropped} more dropped past the cap)` : '';
  return `${spans.spans.length} spans${cut} → ${path}\n`;
}
