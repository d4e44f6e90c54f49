/**
 * One timed GET through a shared keep-alive agent, as the twin tests send them: status, the twin's
 * `x-backline-cause` header, wall time and start.
 */
import http from 'node:http';

/** What one GET returned and how long it took. */
export interface Answer {
  status: number;
  cause?: string;
  ms: number;
  at: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });

/** GETs `url` with `headers`; resolves when the body has been read. */
export function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    http.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          cause: res.headers['x-backline-cause'] as string | undefined,
          ms: performance.now() - t0,
          at: t0,
        }),
      );
    });
  });
}
