/**
 * The caller's side of a request: a *call* (a frame of kind CALL) is what a journey step or a route
 * step asks of a service route; each try of it is an *attempt* at one replica, which the replica side
 * (`attempts.ts`) runs. Here: where a try goes, how long the caller waits for it, and what the caller
 * does when it fails.
 *
 * ## Timeouts: the callee keeps working
 * A per-call `timeout` (the callee's `timeout`, applied by every caller, or the call's own) ends the
 * caller's wait. The callee is *not* told: as with a plain HTTP client timeout, the abandoned request
 * stays queued, is served and makes its own calls, and its answer is dropped. That wasted work is
 * real, and it is what turns retries into a retry storm. An end-to-end deadline, by contrast, is
 * known downstream (see `attempts.ts`); here it caps every wait and stops retries.
 *
 * ## Resilience
 * Retries, breakers and hedges are configured on the callee and applied by every caller of it
 * (`retry.ts`, `breaker.ts`); a hedge sends one extra copy `after` seconds without an answer, the
 * first success wins and the loser runs on unobserved.
 *
 * ## Regions
 * A call goes to the callee's replicas in the caller's region when one is routable; otherwise to
 * the nearest region (by one-way latency) that has one and is not partitioned from the caller,
 * paying the cross-region latency both ways (`placement.ts`). Users call from their own region.
 *
 * Content calls (`cdn`, `stores.<name>` in a route) wait for the content models instead, bounded
 * the same way; they have no retries, breakers or hedges.
 */
import type { Content } from '../content/content.js';
import type { Kernel } from '../kernel/kernel.js';
import { Breaker } from '../resilience/breaker.js';
import { RetryPolicy } from '../resilience/retry.js';
import { BREAKER, DEADLINE, TIMEOUT, UNAVAILABLE } from './causes.js';
import type { CallSide, EngineContext } from './engine-context.js';
import { ATTEMPT, CALL, type Frames, VISIT } from './frames.js';
import type { Placement } from './placement.js';
import { contentTargetOf, type Routes } from './routes.js';
import { BREAKER_OPEN, COUNTERS, HEDGES, RETRIES, TIMEOUTS } from './service-meter.js';
import { TimeoutQueues } from './timeouts.js';
import type { Tracer } from './tracer.js';

/** `tmo` of an attempt whose timeout sits in {@link TimeoutQueues} rather than in the kernel. */
const IN_QUEUE = -2;

/** The server side of content step `step` (`stream` is served by P2P or the CDN), for spans. */
export function contentService(content: Content | undefined, step: string): string {
  if (step === 'stream') return content?.p2p ? 'p2p' : 'cdn';
  return step;
}

/** Logical calls and their tries, for one replication. */
export class Calls implements CallSide {
  /** Per service: its breaker, when it has one. */
  readonly breaker: (Breaker | undefined)[];
  private readonly kernel: Kernel;
  private readonly frames: Frames;
  private readonly routes: Routes;
  private readonly placement: Placement;
  /** The service meter's counters ({@link COUNTERS} per service). */
  private readonly counters: Float64Array;
  private readonly content: Content | undefined;
  private readonly tracer: Tracer | undefined;
  private readonly serviceNames: string[];
  private readonly timeout: Float64Array;
  private readonly hedgeAfter: Float64Array;
  private readonly retry: (RetryPolicy | undefined)[];
  /** Per route: 1 when a call of it produces to a stream. */
  private readonly produces: Uint8Array | undefined;
  private readonly timeouts: TimeoutQueues;
  private readonly hTimeout: number;
  private readonly hRetry: number;
  private readonly hHedge: number;
  private readonly hContentTimeout: number;

  /** @param ctx the engine context; its visits and attempts are reached only when events fire. */
  constructor(private readonly ctx: EngineContext) {
    this.kernel = ctx.kernel;
    this.frames = ctx.frames;
    this.routes = ctx.routes;
    this.placement = ctx.placement;
    this.counters = ctx.meter.counters;
    this.content = ctx.content;
    this.tracer = ctx.tracer;
    const services = ctx.services;
    const content = ctx.content;
    this.serviceNames = services.map((s) => s.name);
    this.timeout = Float64Array.from(services, (s) => s.timeout ?? Number.NaN);
    this.hedgeAfter = Float64Array.from(services, (s) => s.hedge?.after ?? Number.NaN);
    this.retry = services.map((s) =>
      s.retry ? new RetryPolicy(s.retry, ctx.streams.stream(`retry:${s.name}`)) : undefined,
    );
    this.breaker = services.map((s) => (s.breaker ? new Breaker(s.breaker) : undefined));
    this.produces = content
      ? Uint8Array.from(ctx.routes.names, (n) => (content.producersOf(n).length > 0 ? 1 : 0))
      : undefined;
    const k = ctx.kernel;
    this.hTimeout = k.on((ref) => this.onTimeout(ref));
    this.timeouts = new TimeoutQueues(
      k,
      (ref) => {
        const a = this.frames.deref(ref);
        return a >= 0 && this.frames.tmo[a] === IN_QUEUE;
      },
      (ref) => this.timedOut(this.frames.deref(ref)),
    );
    this.hRetry = k.on((ref) => {
      const c = this.frames.deref(ref);
      if (c >= 0) this.send(c, false);
    });
    this.hHedge = k.on((ref) => this.onHedge(ref));
    this.hContentTimeout = k.on((ref) => this.onContentTimeout(ref));
  }

  /** Starts a logical call from frame `p` (a visit or an attempt) to route `route`. */
  startCall(p: number, route: number, timeoutOverride: number): void {
    const f = this.frames;
    if (this.produces !== undefined && this.produces[route] === 1) {
      (this.content as Content).routeCalled(this.routes.names[route], f.user[p]);
    }
    const c = f.alloc(CALL);
    f.parent[c] = p;
    f.parentGen[c] = f.gen[p];
    f.route[c] = route;
    f.region[c] = f.region[p];
    f.user[c] = f.user[p];
    f.deadline[c] = f.deadline[p];
    f.start[c] = this.kernel.now;
    f.slot[c] = 0;
    f.tryTimeout[c] = Number.isNaN(timeoutOverride)
      ? this.timeout[this.routes.service[route]]
      : timeoutOverride;
    if (this.tracer !== undefined) {
      const name = this.routes.names[route];
      this.tracer.callStart(c, p, name, this.serviceNames[this.routes.service[route]], this.kernel.now);
    }
    this.send(c, false);
  }

  /**
   * Starts route call `i` of attempt `a`, which names a content target (`cdn`, `stores.<name>`):
   * a call frame (kind CALL, `slot` -1) waits for the content models' answer, bounded like a service
   * call by the call's `timeout` and the end-to-end deadline. A late answer after a timeout is
   * dropped (the frame's generation moved on).
   */
  startContentCall(a: number, i: number): void {
    const f = this.frames;
    const k = this.kernel;
    const now = k.now;
    const rt = this.routes;
    const c = f.alloc(CALL);
    f.parent[c] = a;
    f.parentGen[c] = f.gen[a];
    f.route[c] = -1;
    f.region[c] = f.region[a];
    f.user[c] = f.user[a];
    f.deadline[c] = f.deadline[a];
    f.start[c] = now;
    f.slot[c] = -1;
    if (this.tracer !== undefined) {
      const name = rt.callNames[i];
      this.tracer.callStart(c, a, name, contentService(this.content, name), now);
    }
    const left = f.deadline[c] - now;
    if (left <= 0) {
      this.callDone(c, false, DEADLINE);
      return;
    }
    const timeout = rt.callTimeout[i];
    const wait = Number.isNaN(timeout) ? left : Math.min(timeout, left);
    if (wait < Number.POSITIVE_INFINITY) f.tmo[c] = k.schedule(wait, this.hContentTimeout, f.ref(c));
    (this.content as Content).request(contentTargetOf(rt.callRoute[i]), f.ref(c), f.user[c], f.region[c]);
  }

  /**
   * The content models answered content call `c`; a failure (a store `unavailable`, no CDN edge or
   * origin, no P2P source) fails it as `unavailable`.
   */
  contentCallDone(c: number, ok: boolean): void {
    const f = this.frames;
    if (f.tmo[c] >= 0) this.kernel.cancel(f.tmo[c]);
    f.tmo[c] = -1;
    this.callDone(c, ok, ok ? 0 : UNAVAILABLE);
  }

  /** A content call waited its timeout (or reached its deadline): it fails; the answer is dropped. */
  private onContentTimeout(ref: number): void {
    const f = this.frames;
    const c = f.deref(ref);
    if (c < 0) return;
    f.tmo[c] = -1;
    this.callDone(c, false, this.kernel.now >= f.deadline[c] ? DEADLINE : TIMEOUT);
  }

  /** Sends one try of call `c` (a retry, the first try, or a hedged copy). */
  private send(c: number, hedge: boolean): void {
    const f = this.frames;
    const k = this.kernel;
    const now = k.now;
    const route = f.route[c];
    const s = this.routes.service[route];
    const br = this.breaker[s];
    if (br && !br.allow(now)) {
      this.counters[s * COUNTERS + BREAKER_OPEN]++;
      if (!hedge) this.tryFailed(c, BREAKER);
      return;
    }
    if (!hedge) f.slot[c]++;
    if (f.deadline[c] <= now) {
      if (!hedge) this.tryFailed(c, DEADLINE);
      return;
    }
    const from = f.region[c];
    const r = this.placement.choose(s, from, f.user[c]);
    if (r < 0) {
      if (br) br.record(false, now);
      if (!hedge) this.tryFailed(c, UNAVAILABLE);
      return;
    }
    const reg = this.placement.registries[s];
    if (reg !== undefined && !this.placement.pool.alive(r)) reg.noteStale(now);
    const a = f.alloc(ATTEMPT);
    if (this.tracer !== undefined)
      this.tracer.attemptStart(a, c, this.serviceNames[s], f.slot[c], hedge, now);
    f.parent[a] = c;
    f.parentGen[a] = f.gen[c];
    f.route[a] = route;
    f.slot[a] = r;
    f.region[a] = this.placement.pool.region[r];
    f.user[a] = f.user[c];
    f.deadline[a] = f.deadline[c];
    f.start[a] = now;
    f.pending[c]++;
    const timeout = f.tryTimeout[c]; // NaN when the callee sets none
    const left = f.deadline[c] - now;
    if (timeout < left) {
      f.tmo[a] = IN_QUEUE;
      this.timeouts.add(timeout, f.ref(a));
    } else if (left < Number.POSITIVE_INFINITY) f.tmo[a] = k.schedule(left, this.hTimeout, f.ref(a));
    if (!hedge && f.slot[c] === 1) {
      this.retry[s]?.deposit();
      const after = this.hedgeAfter[s];
      if (!Number.isNaN(after)) k.schedule(after, this.hHedge, f.ref(c));
    }
    this.ctx.attempts.travel(a, from);
  }

  /** A try of call `c` failed without an attempt in flight for it (or its attempt answered a failure). */
  private tryFailed(c: number, cause: number): void {
    const f = this.frames;
    if (f.pending[c] > 0) return; // a hedged copy is still out: wait for it
    const s = this.routes.service[f.route[c]];
    const pol = this.retry[s];
    const now = this.kernel.now;
    if (pol && cause !== BREAKER && cause !== DEADLINE && now < f.deadline[c] && pol.allow(f.slot[c])) {
      this.counters[s * COUNTERS + RETRIES]++;
      this.kernel.schedule(pol.delay(f.slot[c]), this.hRetry, f.ref(c));
      return;
    }
    this.callDone(c, false, cause);
  }

  /** An attempt of call `c` answered. */
  attemptAnswered(c: number, ok: boolean, cause: number): void {
    const f = this.frames;
    f.pending[c]--;
    const s = this.routes.service[f.route[c]];
    this.breaker[s]?.record(ok, this.kernel.now);
    if (ok) this.callDone(c, true, 0);
    else this.tryFailed(c, cause);
  }

  /** Call `c` is over: tell its caller and free it (outstanding copies become orphans). */
  private callDone(c: number, ok: boolean, cause: number): void {
    const f = this.frames;
    const p = f.parent[c];
    const pg = f.parentGen[c];
    if (this.tracer !== undefined) {
      this.tracer.callEnd(
        c,
        this.kernel.now,
        cause,
        f.slot[c],
        f.route[c] >= 0 && f.hedged[c] === 1,
        f.slot[c] < 0,
      );
    }
    f.release(c);
    if (f.gen[p] !== pg || !f.isLive(p)) return;
    if (f.kind[p] === VISIT) this.ctx.visits.stepDone(p, ok, cause);
    else this.ctx.attempts.childDone(p, ok, cause);
  }

  private onTimeout(ref: number): void {
    const f = this.frames;
    const a = f.deref(ref);
    if (a < 0) return;
    this.timedOut(a);
  }

  /** Attempt `a` took longer than its caller waits: the caller moves on without it. */
  private timedOut(a: number): void {
    const f = this.frames;
    f.tmo[a] = -1;
    const c = f.parent[a];
    if (c < 0 || f.parentGen[a] !== f.gen[c] || !f.isLive(c)) return;
    const s = this.routes.service[f.route[a]];
    this.counters[s * COUNTERS + TIMEOUTS]++;
    f.parent[a] = -1; // the attempt runs on, unobserved (see the file comment)
    this.attemptAnswered(c, false, TIMEOUT);
  }

  private onHedge(ref: number): void {
    const f = this.frames;
    const c = f.deref(ref);
    if (c < 0 || f.hedged[c] !== 0 || f.pending[c] < 1) return;
    f.hedged[c] = 1;
    this.counters[this.routes.service[f.route[c]] * COUNTERS + HEDGES]++;
    this.send(c, true);
  }
}
