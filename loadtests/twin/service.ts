/**
 * The server side of a twin service: what one replica does with a request, as the simulator's
 * `attempts.ts` does it. The request waits for a worker (or is rejected when the waiting room is
 * full), holds it for a service time drawn from the scenario (a timer, so the process stays free)
 * and, thread-per-request style, while the route's downstream calls run (in sequence, parallel
 * groups together, optional calls with probability `p`). An end-to-end `deadline` set by a service
 * travels with the request: a request whose deadline passed when it reaches a worker is dropped
 * unserved, no call starts after it, and the service that set it answers `deadline` at that moment.
 */
import type http from 'node:http';
import type { LoadCall } from '../shape.js';
import type { CallContext, Caller, CallOutcome } from './calls.js';
import { send, sleep } from './http.js';
import { itemId } from './item.js';
import type { TwinReplica } from './replicas.js';
import type { TwinStore } from './store.js';
import type { TraceSpan } from './trace-context.js';

/** What a route step may name besides a service: the CDN (`cdn`, `stream`) and stores. */
export interface ContentSide {
  content(path: string, from: number): Promise<CallOutcome>;
  stores: Map<string, TwinStore>;
}

/** Runs route and journey steps for callers anywhere in the twin. */
export class Steps {
  constructor(
    private readonly caller: Caller,
    private readonly serviceIndex: Map<string, number>,
    private readonly side: ContentSide,
    private readonly rng: () => number,
    private readonly now: () => number,
  ) {}

  /** One step: `svc`, `svc.route`, `cdn`, `stream` or `stores.<name>`, called from region `from`. */
  step(target: string, from: number, ctx: CallContext, path = '', timeout?: number): Promise<CallOutcome> {
    if (target === 'cdn' || target === 'stream')
      return traced(ctx, target, 'cdn', () => this.side.content(path, from));
    const [head, rest] = target.split('.', 2);
    if (head === 'stores') {
      const store = this.side.stores.get(rest ?? '');
      return traced(ctx, target, target, () =>
        store ? store.read(ctx.user, from, ctx.item) : Promise.resolve({ ok: true, status: 200 }),
      );
    }
    const s = this.serviceIndex.get(head);
    if (s === undefined) return Promise.resolve({ ok: true, status: 200 });
    return this.caller.call(s, rest ?? '', from, ctx, timeout);
  }

  /** A route's calls in order; a parallel group ends when all answered; the first failure ends the route. */
  async run(calls: readonly LoadCall[], from: number, ctx: CallContext): Promise<CallOutcome> {
    for (const c of calls) {
      if (this.now() >= ctx.deadline) return { ok: false, status: 504, cause: 'deadline' };
      if ('parallel' in c) {
        const outs = await Promise.all(c.parallel.map((p) => this.run([p], from, ctx)));
        const bad = outs.find((o) => !o.ok);
        if (bad) return bad;
        continue;
      }
      if ((c.p ?? 1) < 1 && this.rng() >= (c.p ?? 1)) continue;
      const out = await this.step(c.call, from, ctx, '', c.timeout);
      if (!out.ok) return out;
    }
    return { ok: true, status: 200 };
  }
}

/**
 * Content served in process (CDN, stores), traced as the simulator traces it: a CLIENT span on the
 * caller and a SERVER span on `callee` covering the same time.
 */
async function traced(
  ctx: CallContext,
  target: string,
  callee: string,
  serve: () => Promise<CallOutcome>,
): Promise<CallOutcome> {
  const client = ctx.trace?.client(target, callee);
  if (!client) return serve();
  const server = client.served(callee, target);
  const out = await serve();
  server.end(out);
  client.end(out);
  return out;
}

/** A service's behaviour and fault state, shared by its replicas. */
export interface ServiceState {
  routes: Record<string, readonly LoadCall[]>;
  /** Draws one service time (seconds). */
  time: () => number;
  /** Deadline this service sets on requests entering it (seconds); undefined when none. */
  deadline?: number;
  /** Added service time (a `slow` fault). */
  slow: number;
  /** Share of requests failing with 500 (an `errors` fault). */
  errorRate: number;
  rng: () => number;
  rejected: number;
  /** Requests dropped unserved because their deadline had passed. */
  expired: number;
}

/**
 * The request handler of replica `replica` of a service. `watch` sees every request as it arrives
 * (the meter and, when tracing, the SERVER span the request is served under).
 */
export function replicaHandler(
  svc: ServiceState,
  replica: TwinReplica,
  steps: Steps,
  now: () => number,
  watch?: (route: string, req: http.IncomingMessage, res: http.ServerResponse) => TraceSpan | undefined,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    req.resume();
    const route = /^\/routes\/([^/?]*)/.exec(req.url ?? '')?.[1] ?? '';
    const trace = watch?.(route, req, res);
    const user = Number(req.headers['x-backline-user'] ?? 0) || 0;
    const inherited = Number(req.headers['x-backline-deadline'] ?? Number.POSITIVE_INFINITY);
    const arrived = now();
    const own = svc.deadline === undefined ? Number.POSITIVE_INFINITY : arrived + svc.deadline;
    const sets = own < inherited;
    const item = itemId(req.headers['x-backline-item']);
    const ctx: CallContext = {
      user,
      deadline: Math.min(inherited, own),
      ...(item === undefined ? {} : { item }),
      ...(trace ? { trace } : {}),
    };
    const admit = replica.acquire();
    if (!admit) {
      svc.rejected++;
      return send(res, 503, '{"error":"rejected"}', 'rejected');
    }
    void admit.then(async (got) => {
      if (!got) return send(res, 502, '{"error":"crash"}', 'crash');
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        replica.release();
      };
      let timer: NodeJS.Timeout | undefined;
      try {
        if (now() >= ctx.deadline) {
          svc.expired++;
          return send(res, 504, '{"error":"deadline"}', 'deadline');
        }
        if (sets && Number.isFinite(ctx.deadline)) {
          timer = setTimeout(
            () => {
              release();
              send(res, 504, '{"error":"deadline"}', 'deadline');
            },
            (ctx.deadline - now()) * 1000,
          );
        }
        const work = svc.time() + svc.slow;
        // The drawn time on the span: its self time minus this is the twin's own overhead.
        ctx.trace?.set('backline.service_time', work);
        await sleep(work);
        if (svc.errorRate > 0 && svc.rng() < svc.errorRate)
          return send(res, 500, '{"error":"fault"}', 'error');
        const calls = svc.routes[route];
        const out = calls ? await steps.run(calls, replica.region, ctx) : { ok: true, status: 200 };
        if (out.ok) send(res, 200, '{"ok":true}');
        else send(res, out.status, `{"error":${JSON.stringify(out.cause ?? 'error')}}`, out.cause);
      } finally {
        if (timer) clearTimeout(timer);
        release();
      }
    });
  };
}
