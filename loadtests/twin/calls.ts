/**
 * The caller's side of a twin call, run over real HTTP the way the simulator's `calls.ts` runs it:
 * the callee's breaker (the simulator's own {@link Breaker}) may fail the call fast; a replica is
 * chosen by the caller ({@link TwinPlacement}); the request crosses the network (the scenario's
 * one-way latency between regions, slept on each way); the caller waits up to the callee's
 * `timeout` (the callee is not told: it serves the abandoned request anyway); a hedged copy leaves
 * `hedge.after` seconds into a first try without an answer and the first success wins; failures
 * are retried by the simulator's {@link RetryPolicy} (attempts, backoff, jitter and retry budget).
 */
import http from 'node:http';
import type { RandomStreams } from '../../sim/kernel/random.js';
import { Breaker } from '../../sim/resilience/breaker.js';
import { RetryPolicy } from '../../sim/resilience/retry.js';
import type { Network } from '../../sim/topology/network.js';
import { causeOf } from '../collector.js';
import type { LoadService } from '../shape.js';
import { sleep } from './http.js';
import type { TwinPlacement } from './placement.js';
import { type TraceSpan, traceHeaders } from './trace-context.js';

/** The outcome of a call: ok, or a status and the cause of the failure. */
export interface CallOutcome {
  ok: boolean;
  status: number;
  cause?: string;
}

/** Per-service counters of what callers did, in the RunResult's service terms. */
export interface CallCounters {
  retries: number;
  timeouts: number;
  hedges: number;
  /** Calls failed fast by an open breaker (cause `breaker_open`). */
  breakerOpen: number;
}

const CAUSE_STATUS: Record<string, number> = { timeout: 504, refused: 502, reset: 502 };

/** Headers a twin request carries: who the user is (hash balancing, store keys) and the journey's deadline. */
export interface CallContext {
  user: number;
  /** The catalog item the request's path names (`/…/<id>/…`), which `key: item` stores read. */
  item?: number;
  /** Absolute deadline on the twin clock (seconds); Infinity when none. */
  deadline: number;
  /** The span the request is served under, when the twin traces (its `traceparent` goes along). */
  trace?: TraceSpan;
}

/** One HTTP try against `port`, answered by the outcome the response (or its failure) means. */
export function callOnce(
  agent: http.Agent,
  port: number,
  path: string,
  timeout?: number,
  headers: http.OutgoingHttpHeaders = {},
): Promise<CallOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: CallOutcome) => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const req = http.request({ agent, host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      const status = res.statusCode ?? 0;
      const cause = res.headers['x-backline-cause'];
      res.resume();
      res.on('end', () =>
        done(
          status < 400
            ? { ok: true, status }
            : { ok: false, status, cause: String(cause ?? `status_${status}`) },
        ),
      );
      res.on('error', (e) => done({ ok: false, status: 502, cause: causeOf(e) }));
    });
    if (timeout !== undefined) {
      req.setTimeout(timeout * 1000, () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
      );
    }
    req.on('error', (e) => {
      const cause = causeOf(e);
      done({ ok: false, status: CAUSE_STATUS[cause] ?? 502, cause });
    });
    req.end();
  });
}

/** Calls between twin services, with the callee's resilience settings applied by the caller. */
export class Caller {
  readonly counters: CallCounters[];
  readonly breakers: (Breaker | undefined)[];
  private readonly retry: (RetryPolicy | undefined)[];

  constructor(
    private readonly services: readonly (LoadService & { name: string })[],
    private readonly placement: TwinPlacement,
    private readonly network: Network,
    private readonly agent: http.Agent,
    streams: RandomStreams,
    /** Seconds on the twin clock. */
    private readonly now: () => number,
  ) {
    this.counters = services.map(() => ({ retries: 0, timeouts: 0, hedges: 0, breakerOpen: 0 }));
    this.breakers = services.map((s) => (s.breaker ? new Breaker(s.breaker) : undefined));
    this.retry = services.map((s) =>
      s.retry
        ? new RetryPolicy({ ...s.retry, budget: s.retry.budget }, streams.stream(`twin:retry:${s.name}`))
        : undefined,
    );
  }

  /**
   * A logical call of `route` on service `s` from region `from`, retried as the callee says; traced
   * as one CLIENT span whose id every attempt carries in its `traceparent`.
   */
  async call(
    s: number,
    route: string,
    from: number,
    ctx: CallContext,
    timeout?: number,
  ): Promise<CallOutcome> {
    const name = this.services[s].name;
    const span = ctx.trace?.client(route ? `${name}.${route}` : name, name);
    if (!span) return this.tries(s, route, from, ctx, timeout);
    const out = await this.tries(s, route, from, { ...ctx, trace: span }, timeout);
    span.end(out);
    return out;
  }

  private async tries(
    s: number,
    route: string,
    from: number,
    ctx: CallContext,
    timeout?: number,
  ): Promise<CallOutcome> {
    const pol = this.retry[s];
    const wait = timeout ?? this.services[s].timeout;
    let tries = 0;
    for (;;) {
      if (this.now() >= ctx.deadline) return { ok: false, status: 504, cause: 'deadline' };
      const out = await this.tryWithHedge(s, route, from, ctx, wait, tries === 0);
      tries++;
      ctx.trace?.set('retry.attempts', tries);
      if (
        out.ok ||
        out.cause === 'breaker_open' ||
        out.cause === 'deadline' ||
        (out.status >= 400 && out.status < 500)
      )
        return out;
      if (!pol?.allow(tries)) return out;
      this.counters[s].retries++;
      await sleep(pol.delay(tries));
    }
  }

  /** One try, plus a hedged copy after `hedge.after` on a first try still unanswered. */
  private tryWithHedge(
    s: number,
    route: string,
    from: number,
    ctx: CallContext,
    timeout: number | undefined,
    first: boolean,
  ): Promise<CallOutcome> {
    const br = this.breakers[s];
    if (br && !br.allow(this.now())) {
      this.counters[s].breakerOpen++;
      return Promise.resolve({ ok: false, status: 503, cause: 'breaker_open' });
    }
    if (first) this.retry[s]?.deposit();
    const main = this.attempt(s, route, from, ctx, timeout);
    const after = this.services[s].hedge?.after;
    if (!first || after === undefined) return main;
    return new Promise((resolve) => {
      let pending = 1;
      let settled = false;
      const onDone = (o: CallOutcome) => {
        pending--;
        if (settled) return;
        if (o.ok || pending === 0) {
          settled = true;
          clearTimeout(timer);
          resolve(o);
        }
      };
      const timer = setTimeout(() => {
        if (settled) return;
        if (br && !br.allow(this.now())) {
          this.counters[s].breakerOpen++;
          return;
        }
        pending++;
        this.counters[s].hedges++;
        ctx.trace?.set('hedged', 'true');
        void this.attempt(s, route, from, ctx, timeout).then(onDone);
      }, after * 1000);
      void main.then(onDone);
    });
  }

  /** One attempt at a replica chosen now: network there, the request, network back, bounded by the timeout. */
  private attempt(
    s: number,
    route: string,
    from: number,
    ctx: CallContext,
    timeout: number | undefined,
  ): Promise<CallOutcome> {
    const br = this.breakers[s];
    const r = this.placement.choose(s, from, ctx.user);
    if (r < 0) {
      br?.record(false, this.now());
      return Promise.resolve({ ok: false, status: 503, cause: 'unavailable' });
    }
    const replica = this.placement.replicas[r];
    const registry = this.placement.registries[s];
    if (registry && !replica.alive()) registry.noteStale(this.now());
    const left = ctx.deadline - this.now();
    const limit = Math.min(timeout ?? Number.POSITIVE_INFINITY, left);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (o: CallOutcome) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        br?.record(o.ok, this.now());
        resolve(o);
      };
      const timer =
        limit < Number.POSITIVE_INFINITY
          ? setTimeout(() => {
              if (limit === timeout) this.counters[s].timeouts++;
              finish({ ok: false, status: 504, cause: limit === timeout ? 'timeout' : 'deadline' });
            }, limit * 1000)
          : undefined;
      const headers = {
        'x-backline-user': String(ctx.user),
        ...(ctx.item === undefined ? {} : { 'x-backline-item': String(ctx.item) }),
        ...(Number.isFinite(ctx.deadline) ? { 'x-backline-deadline': String(ctx.deadline) } : {}),
        ...(ctx.trace ? traceHeaders(ctx.trace) : {}),
      };
      void (async () => {
        await sleep(this.network.delay(from, replica.region));
        // A listed replica that is gone: a crashed one's port is closed and really refuses; a slot
        // switched off keeps its port open, so it is refused here. Either is `stale_endpoint`.
        const gone = registry !== undefined && !replica.alive();
        // The abandoned request is not cancelled: its answer is read and dropped (see the file comment).
        let o =
          gone && replica.down === 0
            ? { ok: false, status: 502 }
            : await callOnce(this.agent, replica.port, `/routes/${route}`, undefined, headers);
        if (gone && !o.ok) o = { ok: false, status: 502, cause: 'stale_endpoint' };
        await sleep(this.network.delay(replica.region, from));
        finish(o);
      })();
    });
  }
}
