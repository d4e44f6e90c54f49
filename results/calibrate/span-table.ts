/**
 * Spans kept compactly until their traces can be joined: only what self times need (SERVER spans
 * that did not fail, and CLIENT spans with a parent), as parallel arrays of numbers with service and
 * operation names interned. A Zipkin array is not ordered by trace, so a flat file's spans all wait
 * here; a file that groups spans by trace fills one table per trace and drops it.
 */
import type { Span } from './spans.js';

/** Compact SERVER and CLIENT spans of one or more traces. */
export class SpanTable {
  /** Spans added, of every kind. */
  count = 0;
  /** Interned service and operation names (a Map, so `__proto__` is a name like any other). */
  readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  /** SERVER spans: index by span id, service and operation name ids, start and duration (µs). */
  readonly serverById = new Map<string, number>();
  readonly sService: number[] = [];
  readonly sName: number[] = [];
  readonly sStart: number[] = [];
  readonly sDur: number[] = [];
  /** CLIENT spans: parent span id, operation name id, start and duration (µs). */
  readonly cParent: string[] = [];
  readonly cName: number[] = [];
  readonly cStart: number[] = [];
  readonly cDur: number[] = [];

  /** Keeps what self times need of `s`. */
  add(s: Span): void {
    this.count++;
    if (s.kind === 'server' && !s.failed) {
      // A second SERVER span with the same id (not valid Zipkin or Jaeger) keeps the first's children.
      if (!this.serverById.has(s.id)) this.serverById.set(s.id, this.sStart.length);
      this.sService.push(this.intern(s.service));
      this.sName.push(this.intern(s.name));
      this.sStart.push(s.start);
      this.sDur.push(s.duration);
    } else if (s.kind === 'client' && s.parentId !== undefined) {
      this.cParent.push(s.parentId);
      this.cName.push(this.intern(s.name));
      this.cStart.push(s.start);
      this.cDur.push(s.duration);
    }
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
