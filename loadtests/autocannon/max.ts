/**
 * Max-throughput (closed) mode on autocannon itself, in-process: `connections` clients each send
 * the next request as soon as the previous response arrives. Each request's journey is chosen by
 * the plan in `setupRequest` and kept in the client's request context, so the `response` event
 * can be booked per journey. There is no intended schedule in a closed loop, so corrected and
 * uncorrected latency coincide here.
 */
import autocannon from 'autocannon';
import { causeOf, type LoadCollector } from '../collector.js';
import type { RequestPlan } from '../plan.js';

/** Length of the prebuilt request sequence for constant requests. */
const SEQUENCE = 1000;

/** Context autocannon keeps per client between `setupRequest` and the response. */
interface Ctx {
  journey?: number;
}

/** A running autocannon instance: `done` resolves with the elapsed seconds. */
export interface MaxHandle {
  done: Promise<{ seconds: number; stopped: boolean; raw: autocannon.Result }>;
  stop(): void;
}

/** Runs `plan` at maximum throughput for `seconds`, recording into `collector`. */
export function runMax(
  plan: RequestPlan,
  base: URL,
  collector: LoadCollector,
  seconds: number,
  onTick?: (elapsed: number) => void,
): MaxHandle {
  const t0 = performance.now();
  const now = () => (performance.now() - t0) / 1000;
  let stopped = false;
  const prefix = base.pathname.replace(/\/$/, '');
  // With constant requests, a seeded weighted sequence of prebuilt requests avoids autocannon
  // rebuilding each request buffer (what `setupRequest` costs); otherwise every request is rendered.
  const constant = plan.journeys.every(
    (j) => j.path.constant && (j.body?.constant ?? true) && j.headers.every(([, t]) => t.constant),
  );
  const sequence = constant ? Array.from({ length: SEQUENCE }, () => plan.next()) : [];
  const requests: autocannon.Request[] = constant
    ? sequence.map((r) => ({
        method: r.method as 'GET',
        path: prefix + r.path,
        headers: r.headers,
        body: r.body,
      }))
    : [
        {
          setupRequest: (req, context) => {
            const r = plan.next();
            (context as Ctx).journey = r.journey;
            return {
              ...req,
              method: r.method as 'GET',
              path: prefix + r.path,
              headers: r.headers,
              body: r.body,
            };
          },
        },
      ];
  let settle!: (err: Error | null, raw: autocannon.Result) => void;
  const instance = autocannon(
    {
      url: base.origin,
      connections: plan.connections,
      duration: seconds,
      amount: plan.maxRequests < 1_000_000 ? plan.maxRequests : undefined,
      requests,
      setupClient: (c) => {
        const client = c as unknown as NodeJS.EventEmitter & {
          requestIterator: { context: Ctx; currentRequestIndex: number };
        };
        const iter = client.requestIterator;
        // Read before autocannon moves on: it emits `response` and only then issues the next request.
        const journey = constant
          ? () => sequence[iter.currentRequestIndex]?.journey ?? 0
          : () => iter.context.journey ?? 0;
        client.on('response', (status: number, _bytes: number, ms: number) => {
          const t = now();
          collector.sent++;
          if (status >= 200 && status < 300) collector.ok(journey(), t - ms / 1000, t - ms / 1000, t, status);
          else collector.fail(journey(), `status_${status}`, t, t - ms / 1000);
        });
        client.on('connError', (err: unknown) => {
          collector.sent++;
          collector.fail(journey(), causeOf(err), now());
        });
        client.on('timeout', () => {
          collector.sent++;
          collector.fail(journey(), 'timeout', now());
        });
      },
    },
    (err, raw) => settle(err, raw),
  );
  const ticker = setInterval(() => onTick?.(now()), 50);
  const done = new Promise<{ seconds: number; stopped: boolean; raw: autocannon.Result }>(
    (resolve, reject) => {
      settle = (err, raw) => {
        clearInterval(ticker);
        if (err) reject(err);
        else resolve({ seconds: stopped ? now() : Math.min(now(), seconds), stopped, raw });
      };
    },
  );
  return {
    done,
    stop: () => {
      stopped = true;
      instance.stop();
    },
  };
}
