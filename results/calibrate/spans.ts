/**
 * Spans from measured traces in the two JSON formats people export: Zipkin v2 (an array of spans,
 * what `backline sim --traces` writes and Zipkin's `/api/v2/traces` returns) and Jaeger (the
 * `{ data: [{ spans, processes }] }` of its query API and UI export). Both become one shape.
 */
import { ScenarioError } from '../errors.js';

/** One span, in microseconds. */
export interface Span {
  /** The trace's id ('' when absent): span ids are unique only within a trace. */
  trace: string;
  id: string;
  parentId: string | undefined;
  /** The process that recorded it. */
  service: string;
  name: string;
  kind: 'server' | 'client' | 'other';
  start: number;
  duration: number;
  /** Tagged as an error or cut short (`error`, `unfinished`). */
  failed: boolean;
}

/** Which format a document is in. */
export type TraceFormat = 'zipkin' | 'jaeger';

export const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 ? x : undefined);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

function bad(file: string, where: string, message: string): never {
  throw new ScenarioError([{ file, line: 0, col: 0, message: `${where}: ${message}` }]);
}

/**
 * The Zipkin v2 span `s` (the `i`-th of the file), or undefined for one that carries no time of a
 * service (no duration yet, or no local service name).
 */
export function zipkinSpan(s: unknown, i: number, file: string): Span | undefined {
  const where = `span ${i}`;
  if (!isObj(s)) bad(file, where, 'expected an object');
  const id = str(s.id) ?? bad(file, where, '`id` must be a non-empty string');
  const start = num(s.timestamp) ?? bad(file, where, '`timestamp` must be a number (epoch microseconds)');
  // Zipkin allows spans without a duration (still open, or one half of a shared span): skipped.
  if (s.duration === undefined) return undefined;
  const duration = num(s.duration);
  if (duration === undefined || duration < 0) bad(file, where, '`duration` must be a non-negative number');
  const local = isObj(s.localEndpoint) ? str(s.localEndpoint.serviceName) : undefined;
  if (local === undefined) return undefined;
  const tags = isObj(s.tags) ? s.tags : {};
  return {
    trace: str(s.traceId) ?? '',
    id,
    parentId: str(s.parentId),
    service: local,
    name: str(s.name) ?? '',
    kind: s.kind === 'SERVER' ? 'server' : s.kind === 'CLIENT' ? 'client' : 'other',
    start,
    duration: duration as number,
    failed: tags.error !== undefined || tags.unfinished === 'true',
  };
}

/** The spans of Jaeger trace `t` (`data[ti]` of the file). */
export function jaegerTraceSpans(t: unknown, ti: number, file: string): Span[] {
  const out: Span[] = [];
  if (!isObj(t)) bad(file, `data[${ti}]`, 'expected a trace object');
  const processes = isObj(t.processes) ? t.processes : {};
  const spans = Array.isArray(t.spans) ? t.spans : bad(file, `data[${ti}]`, '`spans` must be an array');
  spans.forEach((s, i) => {
    const where = `data[${ti}].spans[${i}]`;
    if (!isObj(s)) bad(file, where, 'expected an object');
    const id = str(s.spanID) ?? bad(file, where, '`spanID` must be a non-empty string');
    const start = num(s.startTime) ?? bad(file, where, '`startTime` must be a number (epoch microseconds)');
    const duration = num(s.duration);
    if (duration === undefined || duration < 0) bad(file, where, '`duration` must be a non-negative number');
    const pid = str(s.processID);
    // Own-property lookup only: a processID of `__proto__` or `constructor` names no process.
    const proc = pid !== undefined && Object.hasOwn(processes, pid) ? processes[pid] : undefined;
    const service = isObj(proc) ? str(proc.serviceName) : undefined;
    if (service === undefined) return;
    const tags = new Map<string, unknown>();
    if (Array.isArray(s.tags))
      for (const tag of s.tags) if (isObj(tag) && str(tag.key)) tags.set(tag.key as string, tag.value);
    const kindTag = tags.get('span.kind');
    const refs = Array.isArray(s.references) ? s.references : [];
    const parent = refs.find((r) => isObj(r) && r.refType === 'CHILD_OF') as
      | Record<string, unknown>
      | undefined;
    out.push({
      trace: str(s.traceID) ?? str(t.traceID) ?? '',
      id,
      parentId: parent ? str(parent.spanID) : undefined,
      service,
      name: str(s.operationName) ?? '',
      kind: kindTag === 'server' ? 'server' : kindTag === 'client' ? 'client' : 'other',
      start,
      duration: duration as number,
      failed: tags.get('error') === true || tags.get('error') === 'true' || tags.get('unfinished') === 'true',
    });
  });
  return out;
}
