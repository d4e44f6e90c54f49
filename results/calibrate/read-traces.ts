/**
 * Reading measured traces from a file as it streams in (see `json-stream.ts`), defensively: only
 * regular files, at most {@link MAX_INPUT_BYTES}, syntax errors located as `file:line:col`. Zipkin v2
 * (an array of spans, an array of traces, or one span per line), Jaeger (`{"data": [trace, …]}`).
 * Spans grouped by trace (Jaeger, Zipkin's array of traces) are reduced to self times trace by
 * trace; a flat Zipkin array is kept as compact records until the end (it is not ordered by trace).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ScenarioError } from '../errors.js';
import { type JsonPath, JsonStreamReader, JsonSyntaxError } from './json-stream.js';
import { addSelfTimes, type ServiceSamples } from './self-times.js';
import { SpanTable } from './span-table.js';
import { jaegerTraceSpans, type Span, type TraceFormat, zipkinSpan } from './spans.js';

/**
 * The largest input read: 4 GiB, about 17 M spans as backline writes them. Memory grows with the
 * spans of a flat Zipkin array (1 M spans, 235 MB of JSON, peaked at 160 MB resident in
 * `npm run bench calibrate`), so the limit bounds it at a few GB.
 */
export const MAX_INPUT_BYTES = 2 ** 32;

/** Self times and fan-out per service, from the spans of one file. */
export interface TraceSamples {
  format: TraceFormat;
  /** Spans read (those with a duration and a service). */
  spans: number;
  perService: Map<string, ServiceSamples>;
}

/** Bytes read at a time. */
const CHUNK = 1 << 20;

/** What a file measured: traces, or a load RunResult (its parsed members, checked later). */
export type Measurements =
  | ({ kind: 'traces' } & TraceSamples)
  | { kind: 'run'; run: Record<string, unknown> };

/** Reads the traces file at `path`; a RunResult is an input error here. */
export function readTraces(path: string, limit = MAX_INPUT_BYTES): TraceSamples {
  const m = readMeasurements(path, limit);
  if (m.kind === 'run')
    throw new ScenarioError([{ file: path, line: 0, col: 0, message: 'a RunResult, not traces' }]);
  return m;
}

/** Reads traces or a RunResult at `path`; every problem is a located input error (exit 2 in the CLI). */
export function readMeasurements(path: string, limit = MAX_INPUT_BYTES, maxValue?: number): Measurements {
  const fail = (message: string, line = 0, col = 0): never => {
    throw new ScenarioError([{ file: path, line, col, message }]);
  };
  let fd: number;
  try {
    // Non-blocking, so a FIFO is refused by the check below instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'file not found' : `cannot open (${code})`);
  }
  const into = new TraceCollector(path);
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      fail(`not a regular file (${st.isDirectory() ? 'a directory' : 'a device, FIFO or socket'})`);
    if (st.size > limit) fail(`${st.size} bytes is over the ${limit}-byte limit of one input file`);
    if (st.size === 0) fail('empty file: expected JSON traces');
    const reader = new JsonStreamReader(into, maxValue);
    try {
      for (;;) {
        // A fresh buffer each time: the reader may keep a view of an unfinished value in the last one.
        const buf = Buffer.allocUnsafe(CHUNK);
        const n = readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        reader.feed(buf.subarray(0, n));
      }
      reader.end();
    } catch (e) {
      if (e instanceof JsonSyntaxError) fail(e.message, e.line, e.col);
      throw e;
    }
  } finally {
    closeSync(fd);
  }
  return into.run ? { kind: 'run', run: into.run } : { kind: 'traces', ...into.result() };
}

const SHAPE =
  'expected Zipkin v2 JSON (an array of spans, or one span per line) or Jaeger JSON ({"data": [...]})';

/** Walks into the containers that hold spans or traces and turns each into compact samples. */
class TraceCollector {
  private format: TraceFormat | undefined;
  private readonly flat = new SpanTable();
  private readonly perService = new Map<string, ServiceSamples>();
  private grouped = 0;
  private zipkinIndex = 0;
  private jaegerIndex = 0;
  private dataStreamed = false;
  /** Members of a top-level object other than a streamed `data` (a prototype-free record). */
  private members: Record<string, unknown> = Object.create(null);
  private trace: SpanTable | undefined;
  /** A RunResult's members, when the document is one. */
  run: Record<string, unknown> | undefined;

  constructor(private readonly file: string) {}

  enter(path: JsonPath, kind: 'array' | 'object'): boolean {
    if (path.length === 0) {
      if (kind === 'object') {
        this.members = Object.create(null);
        this.dataStreamed = false;
      }
      return true;
    }
    if (path.length === 1 && typeof path[0] === 'number' && kind === 'array') {
      // Zipkin's /api/v2/traces: an array of traces, each an array of spans.
      this.trace = new SpanTable();
      return true;
    }
    if (path.length === 1 && path[0] === 'data' && kind === 'array') {
      this.setFormat('jaeger');
      this.dataStreamed = true;
      return true;
    }
    return false;
  }

  onValue(path: JsonPath, value: unknown): void {
    if (path.length === 0) this.fail(SHAPE);
    if (typeof path[0] === 'number') this.zipkin(value, this.trace ?? this.flat);
    else if (path[0] === 'data' && path.length === 2) {
      const t = new SpanTable();
      for (const s of jaegerTraceSpans(value, this.jaegerIndex++, this.file)) t.add(s);
      this.reduce(t);
    } else this.members[path[0]] = value;
  }

  leave(path: JsonPath, kind: 'array' | 'object'): void {
    if (path.length === 1 && this.trace) {
      this.reduce(this.trace);
      this.trace = undefined;
    } else if (path.length === 0 && kind === 'object' && !this.dataStreamed) {
      // Not Jaeger: one Zipkin span of a file with one per line, or something else.
      const m = this.members;
      if (m.version === 1 && 'journeys' in m) {
        this.run = m;
        return;
      }
      if (!('id' in m) && !('traceId' in m)) this.fail(SHAPE);
      this.zipkin(m, this.flat);
    }
  }

  result(): TraceSamples {
    addSelfTimes(this.flat, this.perService);
    return {
      format: this.format ?? 'zipkin',
      spans: this.flat.count + this.grouped,
      perService: this.perService,
    };
  }

  private zipkin(value: unknown, into: SpanTable): void {
    this.setFormat('zipkin');
    const s: Span | undefined = zipkinSpan(value, this.zipkinIndex++, this.file);
    if (s) into.add(s);
  }

  private reduce(t: SpanTable): void {
    addSelfTimes(t, this.perService);
    this.grouped += t.count;
  }

  private setFormat(f: TraceFormat): void {
    this.format ??= f;
  }

  private fail(message: string): never {
    throw new ScenarioError([{ file: this.file, line: 0, col: 0, message }]);
  }
}
