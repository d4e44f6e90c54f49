/**
 * Zipkin v2 spans from simulated requests, loadable by Zipkin (`POST /api/v2/spans`) and Jaeger
 * (its Zipkin-compatible collector and UI import).
 *
 * Simulated seconds become epoch microseconds from a fixed origin, and ids come from a seeded stream,
 * so the same run writes the same file. A sampler keeps a share of root requests (head-based sampling:
 * the decision is taken once per trace and every span of a kept trace is written).
 */
import type { Rng } from '../kernel/random.js';

/** A Zipkin v2 span (the fields backline writes; see zipkin-api's `Span` definition). */
export interface ZipkinSpan {
  /** 16 or 32 lower-hex characters. */
  traceId: string;
  /** 16 lower-hex characters. */
  id: string;
  parentId?: string;
  name: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  /** Epoch microseconds. */
  timestamp: number;
  /** Microseconds, at least 1. */
  duration: number;
  localEndpoint: { serviceName: string };
  remoteEndpoint?: { serviceName: string };
  tags?: Record<string, string>;
}

/** 1 January 2026 00:00:00 UTC in microseconds: where simulated time 0 lands. */
export const TRACE_EPOCH_US = 1_767_225_600_000_000;

/** Collects sampled spans and writes them as a Zipkin v2 JSON array. */
export class TraceWriter {
  readonly spans: ZipkinSpan[] = [];
  private readonly rate: number;
  /** Traces started (sampled or not). */
  seen = 0;

  /**
   * @param rate share of traces kept (0..1).
   * @param rng seeded stream for sampling decisions and ids.
   * @param limit hard cap on spans kept, so a long run cannot exhaust memory (default 100 000).
   */
  constructor(
    rate: number,
    private readonly rng: Rng,
    private readonly limit = 100_000,
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`traces: rate must be within 0..1 (got ${rate})`);
    this.rate = rate;
  }

  /** Decides whether a new trace is kept; returns its 32-hex trace id, or undefined when not sampled. */
  startTrace(): string | undefined {
    this.seen++;
    if (this.spans.length >= this.limit || this.rng() >= this.rate) return undefined;
    return this.hex(32);
  }

  /** A fresh 16-hex span id. */
  spanId(): string {
    return this.hex(16);
  }

  /**
   * Records a span of a kept trace; times are simulated seconds.
   * @returns the span's id (to be the parent of later spans).
   */
  span(
    traceId: string,
    name: string,
    service: string,
    start: number,
    end: number,
    opts: { parentId?: string; id?: string; kind?: ZipkinSpan['kind']; tags?: Record<string, string> } = {},
  ): string {
    const id = opts.id ?? this.spanId();
    if (this.spans.length >= this.limit) return id;
    const span: ZipkinSpan = {
      traceId,
      id,
      name,
      timestamp: TRACE_EPOCH_US + Math.round(start * 1e6),
      duration: Math.max(1, Math.round((end - start) * 1e6)),
      localEndpoint: { serviceName: service },
    };
    if (opts.parentId) span.parentId = opts.parentId;
    if (opts.kind) span.kind = opts.kind;
    if (opts.tags && Object.keys(opts.tags).length > 0) span.tags = opts.tags;
    this.spans.push(span);
    return id;
  }

  /** The Zipkin v2 JSON document (an array of spans), in the order they were recorded. */
  toJSON(): string {
    return JSON.stringify(this.spans);
  }

  private hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i += 8) {
      const word = Math.floor(this.rng() * 4294967296);
      s += word.toString(16).padStart(8, '0');
    }
    // An all-zero id is invalid in Zipkin.
    return /^0+$/.test(s) ? `${s.slice(0, -1)}1` : s.slice(0, n);
  }
}

const HEX16 = /^[0-9a-f]{16}$/;
const TRACE = /^([0-9a-f]{16}|[0-9a-f]{32})$/;

/**
 * Checks a value against the Zipkin v2 span shape (the fields of zipkin-api's `Span` that backline
 * writes, with their formats). @returns problems, empty when valid.
 */
export function zipkinSpanProblems(span: unknown): string[] {
  const out: string[] = [];
  if (typeof span !== 'object' || span === null) return ['span is not an object'];
  const s = span as Record<string, unknown>;
  if (typeof s.traceId !== 'string' || !TRACE.test(s.traceId)) out.push('traceId must be 16 or 32 lower-hex');
  if (typeof s.id !== 'string' || !HEX16.test(s.id)) out.push('id must be 16 lower-hex');
  if (s.parentId !== undefined && (typeof s.parentId !== 'string' || !HEX16.test(s.parentId))) {
    out.push('parentId must be 16 lower-hex');
  }
  if (s.parentId !== undefined && s.parentId === s.id) out.push('parentId must differ from id');
  if (typeof s.name !== 'string' || s.name.length === 0) out.push('name must be a non-empty string');
  if (!Number.isSafeInteger(s.timestamp) || (s.timestamp as number) <= 0) {
    out.push('timestamp must be positive integer epoch microseconds');
  }
  if (!Number.isSafeInteger(s.duration) || (s.duration as number) < 1) {
    out.push('duration must be an integer >= 1 microsecond');
  }
  if (s.kind !== undefined && !['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'].includes(s.kind as string)) {
    out.push('kind must be CLIENT, SERVER, PRODUCER or CONSUMER');
  }
  const le = s.localEndpoint as Record<string, unknown> | undefined;
  if (typeof le !== 'object' || le === null || typeof le.serviceName !== 'string' || le.serviceName === '') {
    out.push('localEndpoint.serviceName must be a non-empty string');
  }
  if (s.tags !== undefined) {
    if (typeof s.tags !== 'object' || s.tags === null) out.push('tags must be an object');
    else
      for (const v of Object.values(s.tags))
        if (typeof v !== 'string') out.push('tag values must be strings');
  }
  return out;
}
