/**
 * The twin's spans through the OpenTelemetry SDK (imported only when a twin exports spans). Each
 * twin service is its own OpenTelemetry resource (`service.name`), so a tracing backend shows the
 * scenario's services as services; all of them share the span processors: OTLP/HTTP batches to a
 * collector and/or the in-memory Zipkin collector for a file.
 *
 * The tree mirrors `backline sim --traces` so the two can be set side by side and `backline
 * calibrate` reads either: a SERVER span where a request arrives (`edge` for a journey, the service
 * for a route), a CLIENT span per logical call the service makes (retries and hedges included), the
 * callee's SERVER span of each attempt under it, continued through the `traceparent` the attempt
 * carries. Sampling is parent-based: a valid incoming `traceparent` decides (its sampled flag);
 * otherwise a share `sample` of new traces is kept. Unsampled traces still propagate their ids.
 * A valid incoming `tracestate` goes along unchanged on every hop of its trace (and into the
 * exported spans' `traceState`).
 */
import {
  type Context,
  createTraceState,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import {
  formatTraceparent,
  parseTraceparent,
  parseTracestate,
  type SpanOutcome,
  type TraceSpan,
  type TwinTracing,
} from './trace-context.js';
import { ZipkinCollector } from './zipkin.js';

/** Where the twin's spans go. */
export interface TracingOptions {
  /** OTLP/HTTP collector base URL (`/v1/traces` is appended unless given). */
  otlp?: string;
  /** Keep Zipkin v2 spans in memory for a file (read with `Twin.zipkin()`). */
  zipkin?: boolean;
  /** Share of new traces kept (0..1, default 1). */
  sample?: number;
  /** Name of the scenario, a resource attribute. */
  scenario?: string;
}

/**
 * Epoch milliseconds with microsecond resolution from the monotonic clock. The SDK's own start time
 * is `Date.now()` (whole milliseconds), which would shift children against their parents by up to
 * 1 ms and distort the self times `backline calibrate` derives from them.
 */
const epochMs = (): number => performance.timeOrigin + performance.now();

/** `…/v1/traces` for a collector base URL, or the URL as given when it names the path already. */
export function otlpTracesUrl(base: string): string {
  const u = new URL(base);
  if (!u.pathname.endsWith('/v1/traces')) u.pathname = `${u.pathname.replace(/\/$/, '')}/v1/traces`;
  return u.href;
}

/** The OpenTelemetry-backed {@link TwinTracing}. */
export class OtelTracing implements TwinTracing {
  readonly zipkin: ZipkinCollector | undefined;
  private readonly processors: SpanProcessor[] = [];
  private readonly tracers = new Map<string, Tracer>();
  private readonly sampler;
  /** Recording spans not ended yet: ended as `unfinished` at shutdown so every exported tree is whole. */
  readonly open = new Set<OpenSpan>();

  constructor(private readonly opts: TracingOptions) {
    if (opts.otlp) {
      this.processors.push(
        new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(opts.otlp) }), {
          scheduledDelayMillis: 1000,
          maxQueueSize: 16_384,
          maxExportBatchSize: 1024,
        }),
      );
    }
    if (opts.zipkin) {
      this.zipkin = new ZipkinCollector();
      this.processors.push(this.zipkin);
    }
    const share = opts.sample ?? 1;
    this.sampler = new ParentBasedSampler({
      root: share >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(share),
    });
  }

  /** The tracer of one service (its own resource). */
  private tracer(service: string): Tracer {
    let t = this.tracers.get(service);
    if (!t) {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({
          'service.name': service,
          ...(this.opts.scenario ? { 'backline.scenario': this.opts.scenario } : {}),
        }),
        sampler: this.sampler,
        spanProcessors: this.processors,
      });
      t = provider.getTracer('backline-twin');
      this.tracers.set(service, t);
    }
    return t;
  }

  server(
    service: string,
    name: string,
    traceparent: string | string[] | undefined,
    tracestate?: string | string[],
  ): TraceSpan {
    const p = parseTraceparent(traceparent);
    // A tracestate belongs to its traceparent: without a valid parent it is dropped.
    const state = p ? parseTracestate(tracestate) : undefined;
    const parent = p
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: p.traceId,
          spanId: p.parentId,
          traceFlags: p.flags & 1,
          isRemote: true,
          ...(state === undefined ? {} : { traceState: createTraceState(state) }),
        })
      : ROOT_CONTEXT;
    return this.start(service, name, SpanKind.SERVER, parent, state);
  }

  /** Opens a span of `service` under `parent`, in a trace whose `tracestate` is `state`. */
  start(
    service: string,
    name: string,
    kind: SpanKind,
    parent: Context,
    state: string | undefined,
    peer?: string,
  ): OpenSpan {
    const span = this.tracer(service).startSpan(
      name,
      { kind, attributes: peer ? { 'peer.service': peer } : {}, startTime: epochMs() },
      parent,
    );
    const open = new OpenSpan(this, span, service, state);
    if (span.isRecording()) this.open.add(open);
    return open;
  }

  async shutdown(): Promise<void> {
    for (const s of [...this.open]) {
      s.set('unfinished', 'true');
      s.end({ status: 200 });
    }
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}

/** A span handed to the twin's servers and callers. */
class OpenSpan implements TraceSpan {
  readonly traceparent: string;
  readonly traceId: string;
  private ended = false;

  constructor(
    private readonly tracing: OtelTracing,
    private readonly span: Span,
    private readonly service: string,
    readonly tracestate: string | undefined,
  ) {
    const c = span.spanContext();
    this.traceId = c.traceId;
    this.traceparent = formatTraceparent(c.traceId, c.spanId, (c.traceFlags & 1) === 1);
  }

  client(target: string, callee: string): TraceSpan {
    return this.tracing.start(
      this.service,
      target,
      SpanKind.CLIENT,
      trace.setSpan(ROOT_CONTEXT, this.span),
      this.tracestate,
      callee,
    );
  }

  served(callee: string, name: string): TraceSpan {
    return this.tracing.start(
      callee,
      name,
      SpanKind.SERVER,
      trace.setSpan(ROOT_CONTEXT, this.span),
      this.tracestate,
    );
  }

  set(key: string, value: string | number): void {
    this.span.setAttribute(key, value);
  }

  end(o: SpanOutcome): void {
    if (this.ended) return;
    this.ended = true;
    this.tracing.open.delete(this);
    this.span.setAttribute('http.response.status_code', o.status);
    if (o.status >= 400)
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: o.cause ?? `status_${o.status}` });
    this.span.end(epochMs());
  }
}

/** Starts the tracing of the twin of scenario `scenario`. */
export function startTracing(scenario: string, opts: TracingOptions): OtelTracing {
  return new OtelTracing({ scenario, ...opts });
}
