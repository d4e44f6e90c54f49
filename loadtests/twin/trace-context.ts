/**
 * W3C Trace Context (`traceparent` and `tracestate`) as the twin reads and writes it, and the small span interface
 * its servers and callers use. The OpenTelemetry side (`tracing.ts`) is imported only when a twin
 * exports spans, so a twin without tracing never loads the SDK and never touches the header.
 *
 * Parsing follows the W3C Trace Context recommendation, section 3.2 and 4.3: lowercase hex only, a
 * version of `00` exactly 55 characters long, a later version at least 55 with a `-` after them,
 * version `ff` invalid, trace id and parent id not all zeros. An invalid header is ignored (the
 * twin starts a new trace), never an error.
 *
 * `tracestate` (section 3.3) is vendor data the twin does not read: a valid one is passed on
 * unchanged with every `traceparent` of the trace; an invalid one, or one beside an ignored
 * `traceparent`, is dropped, as the recommendation requires.
 */
import type http from 'node:http';
import { outcomeOf } from './http.js';

/** A parsed `traceparent`. */
export interface TraceParent {
  version: string;
  /** 32 lowercase hex characters, not all zeros. */
  traceId: string;
  /** 16 lowercase hex characters, not all zeros: the caller's span. */
  parentId: string;
  /** The trace flags byte; bit 0 is `sampled`. */
  flags: number;
}

const PARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * The `traceparent` header value parsed, or undefined when it must be ignored: absent, repeated
 * (Node hands a repeated header over as an array or joined with `, `), malformed, or with all-zero
 * ids.
 */
export function parseTraceparent(value: string | string[] | undefined): TraceParent | undefined {
  if (typeof value !== 'string') return undefined;
  const m = PARENT.exec(value);
  if (!m) return undefined;
  const [, version, traceId, parentId, flags] = m;
  if (version === 'ff' || traceId === ZERO_TRACE || parentId === ZERO_SPAN) return undefined;
  // Version 00 is exactly 55 characters; a later one may carry more fields after a dash.
  if (version === '00' ? value.length !== 55 : value.length > 55 && value[55] !== '-') return undefined;
  return { version, traceId, parentId, flags: Number.parseInt(flags, 16) };
}

// Section 3.3.1: a simple key, or a multi-tenant `tenant@system` key; a value of printable ASCII
// without `,` and `=`, not ending in a space.
const STATE_KEY = /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})$/;
const STATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
/** At most 32 list members (section 3.3.1.1). */
const STATE_MEMBERS = 32;

/**
 * The `tracestate` header value to pass on, exactly as received, or undefined when it must be
 * dropped: absent, more than 32 members, a repeated key, or a member that is not `key=value` by the
 * recommendation's grammar (control characters included). Repeated headers are one list (RFC 9110):
 * Node joins them with `, `; an array is joined the same way.
 */
export function parseTracestate(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value.join(',') : value;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const keys = new Set<string>();
  for (const raw of text.split(',')) {
    const member = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    if (!STATE_KEY.test(key) || !STATE_VALUE.test(member.slice(eq + 1)) || keys.has(key)) return undefined;
    keys.add(key);
  }
  if (keys.size === 0 || keys.size > STATE_MEMBERS) return undefined;
  return text;
}

/** The `traceparent` value for span `spanId` of trace `traceId` (version 00). */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

/** The trace headers a request sent on behalf of `span` carries. */
export function traceHeaders(span: TraceSpan): { traceparent: string; tracestate?: string } {
  return span.tracestate === undefined
    ? { traceparent: span.traceparent }
    : { traceparent: span.traceparent, tracestate: span.tracestate };
}

/** How a request ended, for a span's status and a meter's count. */
export interface SpanOutcome {
  status: number;
  cause?: string;
}

/** One span the twin opened. */
export interface TraceSpan {
  /** The `traceparent` a request sent on behalf of this span carries. */
  readonly traceparent: string;
  /** The trace's `tracestate` as the twin received it, when there was a valid one. */
  readonly tracestate: string | undefined;
  /** Trace id (32 hex). */
  readonly traceId: string;
  /** A CLIENT span under this one, recorded by this span's service, calling `target` on `callee`. */
  client(target: string, callee: string): TraceSpan;
  /** A SERVER span of `callee` under this CLIENT span, for what the twin serves in process (CDN). */
  served(callee: string, name: string): TraceSpan;
  /** Sets an attribute (strings and numbers). */
  set(key: string, value: string | number): void;
  /** Ends the span with the outcome; later calls are ignored. */
  end(outcome: SpanOutcome): void;
}

/** Opens SERVER spans where requests arrive; implemented by `tracing.ts`. */
export interface TwinTracing {
  /**
   * A SERVER span of `service` for operation `name`, continuing the trace of `traceparent` (and its
   * `tracestate`) when it is valid, else starting a new trace.
   */
  server(
    service: string,
    name: string,
    traceparent: string | string[] | undefined,
    tracestate?: string | string[],
  ): TraceSpan;
  /** Ends every span still open (tagged `unfinished`), exports and closes. */
  shutdown(): Promise<void>;
}

/**
 * A SERVER span of `service` for the request `req`, ended with the response's status and cause when
 * `res` closes.
 */
export function traceRequest(
  tracing: TwinTracing,
  service: string,
  name: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): TraceSpan {
  const span = tracing.server(service, name, req.headers.traceparent, req.headers.tracestate);
  res.once('close', () => span.end(outcomeOf(res)));
  return span;
}
