/**
 * The twin's spans as Zipkin v2 JSON (the format `backline sim --traces` writes and `backline
 * calibrate` reads): a span processor that converts each ended OpenTelemetry span and keeps it in
 * memory, up to a cap, until the twin stops and the CLI writes the file.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ZipkinSpan } from '../../sim/topology/traces.js';

/** Microseconds since the epoch of an OpenTelemetry `[seconds, nanoseconds]` time. */
const micros = ([s, ns]: [number, number]): number => s * 1e6 + Math.round(ns / 1e3);

/** One ended span in Zipkin v2's shape. */
export function zipkinSpan(span: ReadableSpan): ZipkinSpan {
  const c = span.spanContext();
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(span.attributes))
    if (v !== undefined && k !== 'peer.service') tags[k] = String(v);
  if (span.status.code === SpanStatusCode.ERROR) tags.error = span.status.message || 'error';
  const out: ZipkinSpan = {
    traceId: c.traceId,
    id: c.spanId,
    name: span.name,
    timestamp: micros(span.startTime),
    duration: Math.max(1, micros(span.duration)),
    localEndpoint: { serviceName: String(span.resource.attributes['service.name'] ?? 'twin') },
  };
  if (span.parentSpanContext?.spanId) out.parentId = span.parentSpanContext.spanId;
  if (span.kind === SpanKind.SERVER) out.kind = 'SERVER';
  else if (span.kind === SpanKind.CLIENT) out.kind = 'CLIENT';
  const peer = span.attributes['peer.service'];
  if (typeof peer === 'string') out.remoteEndpoint = { serviceName: peer };
  if (Object.keys(tags).length > 0) out.tags = tags;
  return out;
}

/** The spans a twin kept for a file, and how many its cap dropped (what crosses the process boundary). */
export type ZipkinSpans = Pick<ZipkinCollector, 'spans' | 'dropped'>;

/** Keeps ended spans as Zipkin v2 spans, at most `limit` of them (the rest are counted). */
export class ZipkinCollector implements SpanProcessor {
  readonly spans: ZipkinSpan[] = [];
  /** Spans ended beyond the cap, not kept. */
  dropped = 0;

  constructor(private readonly limit = 100_000) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.spans.length >= this.limit) this.dropped++;
    else this.spans.push(zipkinSpan(span));
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
