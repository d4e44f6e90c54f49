/**
 * The topology engine's span hooks: turns the frames of sampled journeys into Zipkin v2 spans.
 *
 * One trace per sampled journey (a visit); its root span is the journey, from the user's first call
 * to the end of the last step, so its duration is the journey latency the engine records. Below it:
 * - a CLIENT span per logical call (retries and hedges included; tags `retry.attempts`, `hedged`),
 *   whose local endpoint is the caller (`users` for journey steps);
 * - a SERVER span per attempt at a replica, from its arrival there to its answer leaving (tags
 *   `attempt`, `hedge`), so network time shows as the gap between client and server spans;
 * - for content (`cdn`, `stream`, `stores.<name>`), called from a journey step or a route, a CLIENT
 *   span on the caller and a SERVER span on `cdn`, `p2p` or `stores.<name>` covering the same time
 *   (the content models do not expose their internals per request).
 *
 * Sampling is head-based, one draw per journey from the `traces` stream, which no model reads, so a
 * traced run makes the same random draws as an untraced one. Spans are kept open in a map keyed by
 * frame row; a row reused by an untraced frame drops its stale entry when it is allocated.
 * Times are simulated seconds, written from {@link TRACE_EPOCH_US} (see traces.ts).
 */
import type { Frames } from './frames.js';
import type { TraceWriter, ZipkinSpan } from './traces.js';

interface OpenSpan {
  traceId: string;
  id: string;
  parentId: string | undefined;
  name: string;
  service: string;
  /** The callee, for a call span (its SERVER span's service for content). */
  remote: string;
  kind: ZipkinSpan['kind'];
  start: number;
  journey: string;
}

/** Span bookkeeping for one replication's topology engine. */
export class Tracer {
  private readonly open = new Map<number, OpenSpan>();
  /** Content steps of visits in progress (a visit runs one step at a time). */
  private readonly steps = new Map<number, OpenSpan>();

  constructor(
    readonly writer: TraceWriter,
    private readonly causes: readonly string[],
  ) {}

  /** A journey starts at visit row `v`: sample it. */
  visitStart(v: number, journey: string, now: number): void {
    const traceId = this.writer.startTrace();
    if (traceId === undefined) {
      this.open.delete(v);
      return;
    }
    const id = this.writer.spanId();
    this.open.set(v, {
      traceId,
      id,
      parentId: undefined,
      name: journey,
      service: 'users',
      remote: '',
      kind: undefined,
      start: now,
      journey,
    });
  }

  /** The journey at `v` ended with `cause` (0 = success). */
  visitEnd(v: number, now: number, cause: number): void {
    this.close(this.open, v, now, cause, undefined);
  }

  /**
   * Call row `c` starts from caller row `p` to `name` (a route or content target) served by `callee`.
   */
  callStart(c: number, p: number, name: string, callee: string, now: number): void {
    const po = this.open.get(p);
    if (po === undefined) {
      this.open.delete(c);
      return;
    }
    this.open.set(c, this.child(po, name, po.service, callee, 'CLIENT', now));
  }

  /** Call `c` is over after `tries` tries; a content call also closes its content SERVER span. */
  callEnd(c: number, now: number, cause: number, tries: number, hedged: boolean, content: boolean): void {
    const o = this.open.get(c);
    if (o === undefined) return;
    if (content) this.contentServer(o, now, cause);
    const tags: Record<string, string> = {};
    if (!content) tags['retry.attempts'] = String(tries);
    if (hedged) tags.hedged = 'true';
    this.close(this.open, c, now, cause, tags);
  }

  /** Attempt row `a` of call `c` is sent to `service` (try number `attempt`). */
  attemptStart(a: number, c: number, service: string, attempt: number, hedge: boolean, now: number): void {
    const co = this.open.get(c);
    if (co === undefined) {
      this.open.delete(a);
      return;
    }
    const o = this.child(co, co.name, service, '', 'SERVER', now);
    o.remote = hedge ? 'hedge' : String(attempt);
    this.open.set(a, o);
  }

  /** Attempt `a` reached its replica: its SERVER span starts here. */
  attemptArrived(a: number, now: number): void {
    const o = this.open.get(a);
    if (o !== undefined) o.start = now;
  }

  /** Attempt `a` answered (or was dropped) with `cause`. */
  attemptEnd(a: number, now: number, cause: number): void {
    const o = this.open.get(a);
    if (o === undefined) return;
    const tags: Record<string, string> = o.remote === 'hedge' ? { hedge: 'true' } : { attempt: o.remote };
    o.remote = '';
    this.close(this.open, a, now, cause, tags);
  }

  /** Visit `v` starts content step `name` served by `service`. */
  stepStart(v: number, name: string, service: string, now: number): void {
    const vo = this.open.get(v);
    if (vo === undefined) return;
    this.steps.set(v, this.child(vo, name, 'users', service, 'CLIENT', now));
  }

  /** Visit `v`'s content step answered. */
  stepEnd(v: number, now: number, cause: number): void {
    const o = this.steps.get(v);
    if (o === undefined) return;
    this.contentServer(o, now, cause);
    this.close(this.steps, v, now, cause, undefined);
  }

  /** Writes the spans still open at the end of the run, tagged `unfinished`, so every tree is whole. */
  flush(frames: Frames, now: number): void {
    for (const [v, o] of this.steps) {
      if (!frames.isLive(v) || this.open.get(v)?.traceId !== o.traceId) continue;
      this.contentServer(o, now, 0, true);
      this.close(this.steps, v, now, 0, { unfinished: 'true' });
    }
    for (const [id, o] of this.open) {
      if (!frames.isLive(id)) continue;
      const tags: Record<string, string> = { unfinished: 'true' };
      if (o.kind === 'SERVER' && o.remote !== '') tags.attempt = o.remote;
      o.remote = '';
      this.close(this.open, id, now, 0, tags);
    }
    this.open.clear();
    this.steps.clear();
  }

  private child(
    parent: OpenSpan,
    name: string,
    service: string,
    remote: string,
    kind: ZipkinSpan['kind'],
    now: number,
  ): OpenSpan {
    return {
      traceId: parent.traceId,
      id: this.writer.spanId(),
      parentId: parent.id,
      name,
      service,
      remote,
      kind,
      start: now,
      journey: parent.journey,
    };
  }

  /** The content model's side of a content call: a SERVER span under the call's CLIENT span. */
  private contentServer(o: OpenSpan, now: number, cause: number, unfinished = false): void {
    const tags: Record<string, string> = { journey: o.journey };
    if (cause !== 0) tags.error = this.causes[cause];
    if (unfinished) tags.unfinished = 'true';
    this.writer.span(o.traceId, o.name, o.remote, o.start, now, { parentId: o.id, kind: 'SERVER', tags });
  }

  private close(
    map: Map<number, OpenSpan>,
    key: number,
    now: number,
    cause: number,
    extra: Record<string, string> | undefined,
  ): void {
    const o = map.get(key);
    if (o === undefined) return;
    map.delete(key);
    const tags: Record<string, string> = { journey: o.journey, ...extra };
    if (cause !== 0) tags.error = this.causes[cause];
    const span: Parameters<TraceWriter['span']>[5] = { id: o.id, tags };
    if (o.parentId !== undefined) span.parentId = o.parentId;
    if (o.kind !== undefined) span.kind = o.kind;
    this.writer.span(o.traceId, o.name, o.service, o.start, now, span);
    // remoteEndpoint for call spans: the callee.
    if (o.kind === 'CLIENT' && o.remote !== '') {
      const last = this.writer.spans[this.writer.spans.length - 1];
      if (last?.id === o.id) last.remoteEndpoint = { serviceName: o.remote };
    }
  }
}
