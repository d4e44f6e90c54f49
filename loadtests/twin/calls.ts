/**
 * Calls between twin services over real HTTP: one call with a timeout, retried as the callee's
 * `retry` says (attempts counts every try, the first included; backoff doubles per retry, with
 * `full` or `equal` jitter), and failures named by cause like the load driver names them.
 */
import http from 'node:http';
import { causeOf } from '../collector.js';

/** The outcome of a call: ok, or a status and the cause of the failure. */
export interface CallOutcome {
  ok: boolean;
  status: number;
  cause?: string;
}

/** How a callee is reached and how hard to try. */
export interface CallTarget {
  port: number;
  /** Seconds; undefined = no timeout beyond the socket's. */
  timeout?: number;
  retry?: { attempts: number; backoff: number; jitter: 'none' | 'full' | 'equal' };
}

const CAUSE_STATUS: Record<string, number> = { timeout: 504, refused: 502, reset: 502 };

/** One HTTP try. */
export function callOnce(
  agent: http.Agent,
  port: number,
  path: string,
  timeout?: number,
): Promise<CallOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: CallOutcome) => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const req = http.request({ agent, host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
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

/** Calls `path` on `target`, retrying failures (not 4xx) as configured. */
export async function call(
  agent: http.Agent,
  target: CallTarget,
  path: string,
  rng: () => number,
): Promise<CallOutcome & { retries: number }> {
  const attempts = Math.max(1, target.retry?.attempts ?? 1);
  let out: CallOutcome = { ok: false, status: 502, cause: 'error' };
  for (let a = 0; a < attempts; a++) {
    if (a > 0 && target.retry) {
      const cap = target.retry.backoff * 2 ** (a - 1);
      const wait =
        target.retry.jitter === 'full'
          ? rng() * cap
          : target.retry.jitter === 'equal'
            ? cap / 2 + (rng() * cap) / 2
            : cap;
      await new Promise((r) => setTimeout(r, wait * 1000));
    }
    out = await callOnce(agent, target.port, path, target.timeout);
    if (out.ok || (out.status >= 400 && out.status < 500)) return { ...out, retries: a };
  }
  return { ...out, retries: attempts - 1 };
}
