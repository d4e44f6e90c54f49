/**
 * Spans kept compactly until their traces can be joined: only what self times need (SERVER spans
 * that did not fail, CLIENT spans with a parent, the parent links of internal spans), as growable
 * typed columns of numbers, with service and operation names interned and span ids hashed with their
 * trace id to a 53-bit number (ids are unique within a trace only). A Zipkin array is not ordered by trace, so a flat file's
 * spans all wait here (about 30 bytes a span); a file that groups spans by trace fills one table per
 * trace and drops it.
 */
import type { Span } from './spans.js';

/** A growable typed column (doubles or 32-bit integers). */
export class Column<A extends Float64Array | Int32Array> {
  length = 0;
  constructor(
    public a: A,
    private readonly make: (n: number) => A,
  ) {}
  push(x: number): void {
    if (this.length === this.a.length) {
      const b = this.make(this.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = x;
  }
}

const f64 = () => new Column(new Float64Array(64), (n) => new Float64Array(n));
const i32 = () => new Column(new Int32Array(64), (n) => new Int32Array(n));

/**
 * `trace`/`id` as a 53-bit number: two 32-bit FNV-1a hashes with different offsets. Two distinct
 * spans of one file collide with a chance of about n²/2⁵⁴ (5·10⁻⁵ for a million spans): then one
 * call is counted under the other's parent, which moves no fit measurably.
 */
export function spanKey(trace: string, id: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const mix = (c: number) => {
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  };
  for (let i = 0; i < trace.length; i++) mix(trace.charCodeAt(i));
  mix(0x2f);
  for (let i = 0; i < id.length; i++) mix(id.charCodeAt(i));
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) >>> 11);
}

/** Compact SERVER and CLIENT spans of one or more traces. */
export class SpanTable {
  /** Spans added, of every kind. */
  count = 0;
  /** Interned service and operation names (a Map, so `__proto__` is a name like any other). */
  readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  /** SERVER spans: key (trace and id), service and operation name ids, start and duration (µs). */
  readonly sKey = f64();
  readonly sService = i32();
  readonly sName = i32();
  readonly sStart = f64();
  readonly sDur = f64();
  /** CLIENT spans: parent's key, operation name id, start and duration (µs). */
  readonly cParent = f64();
  readonly cName = i32();
  readonly cStart = f64();
  readonly cDur = f64();
  /**
   * Other spans with a parent (INTERNAL, or no kind): their key and their parent's. A CLIENT span
   * under them belongs to the nearest SERVER span above (OpenTelemetry and Sleuth put internal spans
   * between a request and the calls it makes).
   */
  readonly oKey = f64();
  readonly oParent = f64();

  /** Keeps what self times need of `s`. */
  add(s: Span): void {
    this.count++;
    if (s.kind === 'server' && !s.failed) {
      this.sKey.push(spanKey(s.trace, s.id));
      this.sService.push(this.intern(s.service));
      this.sName.push(this.intern(s.name));
      this.sStart.push(s.start);
      this.sDur.push(s.duration);
    } else if (s.kind === 'client' && s.parentId !== undefined) {
      this.cParent.push(spanKey(s.trace, s.parentId));
      this.cName.push(this.intern(s.name));
      this.cStart.push(s.start);
      this.cDur.push(s.duration);
    } else if (s.kind === 'other' && s.parentId !== undefined) {
      this.oKey.push(spanKey(s.trace, s.id));
      this.oParent.push(spanKey(s.trace, s.parentId));
    }
  }

  /**
   * For every CLIENT span, the index of its SERVER span, or −1: its parent, or the nearest SERVER
   * span above the internal spans between them (at most {@link MAX_INTERNAL_DEPTH}, so a cycle of
   * parents ends). A second SERVER span with the same key keeps the first's children.
   */
  parents(): Int32Array {
    const server = keyIndex(this.sKey);
    const internal = keyIndex(this.oKey);
    const out = new Int32Array(this.cParent.length);
    for (let j = 0; j < out.length; j++) {
      let k = this.cParent.a[j];
      let found = server(k);
      for (let depth = 0; found < 0 && depth < MAX_INTERNAL_DEPTH; depth++) {
        const o = internal(k);
        if (o < 0) break;
        k = this.oParent.a[o];
        found = server(k);
      }
      out[j] = found;
    }
    return out;
  }

  private intern(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    return id;
  }
}

/** Internal spans walked up from a CLIENT span before it is left without a SERVER span. */
export const MAX_INTERNAL_DEPTH = 64;

/**
 * The first index of each key of `keys` (an open-addressing table), as a lookup returning −1 for a
 * key not there.
 */
function keyIndex(keys: Column<Float64Array>): (k: number) => number {
  const n = keys.length;
  let cap = 16;
  while (cap < 2 * n) cap *= 2;
  const table = new Float64Array(cap);
  const slots = new Int32Array(cap).fill(-1);
  for (let i = 0; i < n; i++) {
    const k = keys.a[i];
    let h = k % cap;
    while (slots[h] >= 0 && table[h] !== k) h = (h + 1) & (cap - 1);
    if (slots[h] < 0) {
      table[h] = k;
      slots[h] = i;
    }
  }
  return (k) => {
    let h = k % cap;
    while (slots[h] >= 0 && table[h] !== k) h = (h + 1) & (cap - 1);
    return slots[h];
  };
}
