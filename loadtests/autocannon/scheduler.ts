/**
 * The open-model scheduler: requests start when the profile says, whatever the target is doing,
 * and each latency is measured from that intended start (coordinated omission corrected, like
 * wrk2). Requests go over node:http keep-alive agents capped at `connections` sockets, so when the
 * target stalls, later requests wait for a socket and that wait is part of their latency.
 *
 * Why not autocannon itself for the open model: an autocannon client writes its next request only
 * after the previous response (a closed loop per connection), `overallRate` only pauses clients
 * within each second, and its correction records with an expected interval of `Math.ceil(1/rate)`
 * ms, i.e. 1 ms. None of that can start a request at an arbitrary intended time. autocannon runs
 * the closed, max-throughput mode instead (see `max.ts`).
 *
 * The same loop drives the closed model (`users` loops of request → think → request).
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { sampler } from '../../sim/kernel/distributions.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { causeOf, type LoadCollector } from '../collector.js';
import { arrivalTimes, type PlannedRequest, type RequestPlan } from '../plan.js';

/** Knobs of the scheduler. */
export interface SchedulerOptions {
  /** Per-request timeout in seconds (default 10). */
  timeout?: number;
  /** Called with the elapsed seconds at each scheduler wake-up (snapshots hook in here). */
  onTick?: (elapsed: number) => void;
}

/** A running schedule: `done` resolves with the elapsed seconds; `stop()` ends it early. */
export interface ScheduleHandle {
  done: Promise<{ seconds: number; stopped: boolean }>;
  stop(): void;
}

/** Sends one request; calls back once with a status or an error. */
function send(
  agent: http.Agent,
  base: URL,
  r: PlannedRequest,
  timeoutMs: number,
  onSocket: () => void,
  cb: (status: number, err?: unknown) => void,
): void {
  const mod = base.protocol === 'https:' ? https : http;
  let finished = false;
  const finish = (status: number, err?: unknown) => {
    if (finished) return;
    finished = true;
    cb(status, err);
  };
  const headers: Record<string, string | number> = { ...r.headers };
  if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
  const req = mod.request(
    {
      agent,
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      method: r.method,
      path: base.pathname.replace(/\/$/, '') + r.path,
      headers,
    },
    (res) => {
      res.on('error', (e) => finish(0, e));
      res.on('end', () => finish(res.statusCode ?? 0));
      res.resume();
    },
  );
  req.on('socket', onSocket);
  req.setTimeout(timeoutMs, () => {
    const e = Object.assign(new Error('timeout'), { code: 'TIMEOUT' });
    req.destroy(e);
  });
  req.on('error', (e) => finish(0, e));
  req.end(r.body);
}

/**
 * Runs `plan` against `base`, recording into `collector`. Resolves once every started request
 * has finished (or, after `stop()`, at once: requests in flight are abandoned and not counted).
 */
export function runSchedule(
  plan: RequestPlan,
  base: URL,
  collector: LoadCollector,
  opts: SchedulerOptions = {},
): ScheduleHandle {
  const timeoutMs = (opts.timeout ?? 10) * 1000;
  const AgentClass = base.protocol === 'https:' ? https.Agent : http.Agent;
  const agent = new AgentClass({ keepAlive: true, maxSockets: plan.connections, scheduling: 'fifo' });
  const t0 = performance.now();
  const now = () => (performance.now() - t0) / 1000;
  let stopped = false;
  let issuing = true;
  let inFlight = 0;
  let resolve!: (v: { seconds: number; stopped: boolean }) => void;
  const done = new Promise<{ seconds: number; stopped: boolean }>((r) => (resolve = r));
  let lastDone = 0;
  let timer: NodeJS.Timeout | undefined;

  const finish = () => {
    if (timer) clearTimeout(timer);
    agent.destroy();
    resolve({ seconds: stopped ? now() : Math.max(lastDone, plan.schedule.duration), stopped });
  };
  const maybeFinish = () => {
    if (!issuing && inFlight === 0) finish();
  };

  /** Issues `r`, intended to start at `intended` seconds; `then` runs after it finished. */
  const issue = (r: PlannedRequest, intended: number, then?: (at: number) => void) => {
    inFlight++;
    collector.sent++;
    let sentAt = intended;
    send(
      agent,
      base,
      r,
      timeoutMs,
      () => {
        sentAt = now();
      },
      (status, err) => {
        inFlight--;
        if (stopped) return;
        const t = now();
        lastDone = Math.max(lastDone, t);
        if (err !== undefined) collector.fail(r.journey, causeOf(err), t, intended);
        else if (status >= 200 && status < 300) collector.ok(r.journey, intended, sentAt, t);
        else collector.fail(r.journey, `status_${status}`, t, intended);
        then?.(t);
        maybeFinish();
      },
    );
  };

  const sched = plan.schedule;
  if (sched.kind === 'open') {
    const times = arrivalTimes(
      sched.phases,
      sched.spacing,
      new RandomStreams(plan.seed, 0).stream('load:arrivals'),
    );
    let next = times.next();
    const tick = () => {
      timer = undefined;
      if (stopped) return;
      const t = now();
      opts.onTick?.(t);
      while (!next.done && next.value <= t && collector.sent < plan.maxRequests) {
        issue(plan.next(), next.value);
        next = times.next();
      }
      if (next.done || collector.sent >= plan.maxRequests || t >= plan.maxDuration) {
        issuing = false;
        // Keep snapshots flowing while the last requests finish.
        const drain = () => {
          if (stopped || inFlight === 0) return;
          opts.onTick?.(now());
          timer = setTimeout(drain, 50);
        };
        drain();
        maybeFinish();
        return;
      }
      // Wake a little early (timers are late, never early) but at most every 50 ms for snapshots.
      const wait = Math.min(50, Math.max(0, (next.value - now()) * 1000 - 1));
      timer = setTimeout(tick, wait);
    };
    tick();
  } else {
    const think = sched.think
      ? sampler(sched.think, new RandomStreams(plan.seed, 0).stream('load:think'))
      : () => 0;
    const end = Math.min(sched.duration, plan.maxDuration);
    let users = sched.users;
    const loop = (at: number) => {
      if (stopped) return;
      if (at >= end || collector.sent >= plan.maxRequests) {
        users--;
        if (users === 0) issuing = false;
        return;
      }
      const pause = think();
      const start = at + pause;
      const go = () => issue(plan.next(), start, loop);
      if (pause > 0) setTimeout(go, pause * 1000);
      else go();
    };
    const heartbeat = () => {
      if (stopped || (!issuing && inFlight === 0)) return;
      opts.onTick?.(now());
      timer = setTimeout(heartbeat, 50);
    };
    for (let u = 0; u < sched.users; u++) loop(0);
    heartbeat();
    maybeFinish();
  }

  return {
    done,
    stop: () => {
      if (stopped) return;
      stopped = true;
      issuing = false;
      finish();
    },
  };
}
