/**
 * What the scheduler starts: one journey instance, given its journey, user and intended start.
 * The scheduler decides *when* (open model: each arrival; closed model: each user's loop); the
 * executor decides *what*. A single-request journey runs on the transport's callback fast path
 * (prebuilt request bytes when the request has no templates); a multi-step flow runner plugs in
 * through the same {@link StartJourney} signature (see {@link createExecutor}).
 */
import { performance } from 'node:perf_hooks';
import type { LoadCollector } from '../collector.js';
import type { RequestPlan } from '../plan.js';
import { SocketPool } from '../transport/socket-pool.js';
import { type SendOptions, type Transport, TransportError } from '../transport/transport.js';
import type { GeneratorMonitor } from './generator.js';

/**
 * Starts one journey instance intended to begin `intendedMs` after the run's start; resolves when
 * it ended (successfully or not; failures are booked, never thrown). The form flows implement.
 */
export type StartJourney = (journey: number, user: number, intendedMs: number) => Promise<void>;

/**
 * What the scheduler calls: {@link StartJourney} with a callback, `done` once the journey ended
 * (possibly synchronously, for a request refused at once). A single request costs no promise and
 * no microtask this way: at 10 k/s and more the generator's CPU per request is what limits it.
 */
export type LaunchJourney = (journey: number, user: number, intendedMs: number, done: () => void) => void;

/** Everything an executor needs from the run. */
export interface ExecutorContext {
  plan: RequestPlan;
  transport: Transport;
  collector: LoadCollector;
  monitor: GeneratorMonitor;
  /** `performance.now()` at the run's start: intended times are relative to it. */
  t0: number;
  timeoutMs: number;
  /** Response bodies longer than this fail with `body_too_large`. */
  maxBodyBytes: number;
  /** True once the run stopped: late completions are abandoned, not booked. */
  stopped(): boolean;
}

/** Default bound on a response body (counted, not kept). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The context of one thread's run from its parts and the run's options: `timeout` in seconds,
 * `maxBodyBytes` defaulting to {@link MAX_BODY_BYTES}.
 */
export function executorContext(
  parts: Omit<ExecutorContext, 'timeoutMs' | 'maxBodyBytes'>,
  opts: { timeout: number; maxBodyBytes?: number },
): ExecutorContext {
  return { ...parts, timeoutMs: opts.timeout * 1000, maxBodyBytes: opts.maxBodyBytes ?? MAX_BODY_BYTES };
}

/** A request that waited longer than this for a connection counts in `waitedForConnection`. */
const WAIT_MS = 10;

/** The executor of a run: single requests on the transport's callback path, or `flows`' start. */
export function createExecutor(ctx: ExecutorContext, flows?: StartJourney): LaunchJourney {
  if (!flows) return singleRequest(ctx);
  return (journey, user, intendedMs, done) => {
    flows(journey, user, intendedMs).then(done);
  };
}

/** Books one finished request; `sentAt` NaN means it never left (dropped, not a service error). */
function book(
  ctx: ExecutorContext,
  journey: number,
  intendedMs: number,
  dispatchMs: number,
  sentAt: number,
  status: number,
  cause: string | null,
): void {
  if (ctx.stopped()) return;
  const { collector, monitor, t0 } = ctx;
  const done = (performance.now() - t0) / 1000;
  const intended = intendedMs / 1000;
  if (Number.isNaN(sentAt)) {
    if (cause === 'bad_request') {
      collector.fail(journey, cause, done, intended);
      return;
    }
    collector.sent--;
    monitor.drop();
    return;
  }
  if (sentAt - t0 - dispatchMs > WAIT_MS) monitor.waited++;
  if (cause !== null) collector.fail(journey, cause, done, intended);
  else if (status >= 200 && status < 300) collector.ok(journey, intended, (sentAt - t0) / 1000, done, status);
  else collector.fail(journey, `status_${status}`, done, intended);
}

function singleRequest(ctx: ExecutorContext): LaunchJourney {
  const { plan, transport } = ctx;
  const pool = transport instanceof SocketPool ? transport : undefined;
  // Requests without templates are the same bytes every time: build them once per journey.
  const constant = plan.journeys.map(
    (j) => j.path.constant && (j.body?.constant ?? true) && j.headers.every(([, t]) => t.constant),
  );
  const cache: (Buffer | undefined)[] = [];
  const toOutgoing = (journey: number) => {
    const r = plan.render(journey);
    return { method: r.method, path: r.path, headers: Object.entries(r.headers), body: r.body };
  };
  const opts: SendOptions = { keepBody: false, maxBodyBytes: ctx.maxBodyBytes, timeoutMs: ctx.timeoutMs };

  return (journey, _user, intendedMs, done) => {
    const now = performance.now();
    const dispatchMs = now - ctx.t0;
    ctx.collector.sent++;
    if (!pool) {
      transport.request(toOutgoing(journey), opts, (err, res) => {
        const cause = err ? err.reason : null;
        // undici and node:http do not say whether a timed-out request was written: count it sent.
        const sentAt = res ? res.sentAt : cause === 'bad_request' ? Number.NaN : dispatchMs + ctx.t0;
        book(ctx, journey, intendedMs, dispatchMs, sentAt, res?.status ?? 0, cause);
        done();
      });
      return;
    }
    let bytes = constant[journey] ? cache[journey] : undefined;
    if (!bytes) {
      try {
        bytes = pool.prepare(toOutgoing(journey));
      } catch (e) {
        const cause = e instanceof TransportError ? e.reason : 'bad_request';
        book(ctx, journey, intendedMs, dispatchMs, Number.NaN, 0, cause);
        done();
        return;
      }
      if (constant[journey]) cache[journey] = bytes;
    }
    pool.dispatch({
      bytes,
      noBody: plan.journeys[journey].method === 'HEAD',
      keepBody: false,
      maxBodyBytes: ctx.maxBodyBytes,
      deadline: now + ctx.timeoutMs,
      sentAt: Number.NaN,
      cb: (cause, p, e) => {
        book(ctx, journey, intendedMs, dispatchMs, e.sentAt, p?.status ?? 0, cause);
        done();
      },
    });
  };
}
