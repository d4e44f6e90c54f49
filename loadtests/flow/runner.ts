/**
 * Runs flows: a virtual user's steps in order over a {@link Transport}, with its variables, feed
 * rows and cookies; checks and captures decide whether each step, and so the journey, failed.
 * A journey's outcome is the whole flow (its latency runs from the intended start to the last
 * byte of the last step, as in the simulation); steps and checks go to {@link FlowStats}.
 */
import { headerValueProblem } from '../../scenarios/load-http.js';
import { RenderError } from '../template.js';
import type { IncomingResponse, OutgoingRequest, SendOptions, Transport } from '../transport/transport.js';
import { captured } from './captures.js';
import { passes } from './checks.js';
import type { CompiledRequest, CompiledStep } from './compile.js';
import { ResponseView } from './response.js';
import type { FlowStats } from './stats.js';
import type { UserPool, VirtualUser } from './users.js';

/** How a flow ended. `endMs` is milliseconds since the run's start. */
export interface FlowOutcome {
  ok: boolean;
  cause?: string;
  endMs: number;
}

/** Compiled flows of a run. */
export interface FlowProgram {
  journeys: { name: string; steps: CompiledStep[] }[];
  session?: CompiledStep[];
}

/** Limits and clocks of a run. */
export interface FlowRunOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal;
  /** `performance.now()` at the run's start. */
  t0: number;
  /** Journeys intended to start before this many seconds are sent but not measured. */
  warmup?: number;
}

/** The name steps of the session are booked under. */
export const SESSION = 'session';

type StepEnd = { ok: true } | { ok: false; cause: string };

const OK: StepEnd = { ok: true };
const ABORTED: StepEnd = { ok: false, cause: 'aborted' };

/**
 * Runs flows of one program against one transport. Steps chain through callbacks (the transport's
 * `request`, a think timer), not promises: one promise per journey at most, like a single request,
 * so a 3-step flow costs what 3 single requests cost (a promise and microtasks per step halved
 * flows' requests/s).
 */
export class FlowRunner {
  private readonly sendOpts: { keep: SendOptions; drop: SendOptions };
  /** Think timers in flight, each with what to do when the run is aborted during it. */
  private readonly thinking = new Map<NodeJS.Timeout, () => void>();

  constructor(
    private readonly program: FlowProgram,
    private readonly transport: Transport,
    private readonly stats: FlowStats,
    private readonly opts: FlowRunOptions,
  ) {
    // No per-request abort listener (it cost 40 % of requests/s with 50 users in flight):
    // stopping closes the transport, which aborts every request in flight.
    const base = { maxBodyBytes: opts.maxBodyBytes, timeoutMs: opts.timeoutMs };
    this.sendOpts = { keep: { ...base, keepBody: true }, drop: { ...base, keepBody: false } };
    opts.signal?.addEventListener(
      'abort',
      () => {
        for (const [t, wake] of this.thinking) {
          clearTimeout(t);
          wake();
        }
        this.thinking.clear();
      },
      { once: true },
    );
  }

  private nowS(): number {
    return (performance.now() - this.opts.t0) / 1000;
  }

  /** Runs journey `j` for `vu`, intended to start `intendedMs` after the run's start. */
  run(j: number, vu: VirtualUser, intendedMs: number): Promise<FlowOutcome> {
    return new Promise((resolve) => this.start(j, vu, intendedMs, resolve));
  }

  /** {@link run} with a callback: `done` runs once, when the flow ended. */
  start(j: number, vu: VirtualUser, intendedMs: number, done: (o: FlowOutcome) => void): void {
    const measured = intendedMs / 1000 >= (this.opts.warmup ?? 0);
    const end = (cause?: string) =>
      done({ ok: cause === undefined, cause, endMs: performance.now() - this.opts.t0 });
    const flow = this.program.journeys[j];
    const journey = () =>
      this.steps(flow.name, flow.steps, vu, measured, (r) => end(r.ok ? undefined : r.cause));
    if (!this.program.session || vu.sessionDone) journey();
    else
      this.steps(SESSION, this.program.session, vu, measured, (r) => {
        if (!r.ok) end(`session:${r.cause}`);
        else {
          vu.sessionDone = true;
          journey();
        }
      });
  }

  /** Runs `steps` of flow `name`; request steps are numbered in order for the stats. */
  private steps(
    name: string,
    steps: CompiledStep[],
    vu: VirtualUser,
    measured: boolean,
    done: (r: StepEnd) => void,
  ): void {
    let at = 0;
    let index = 0;
    const next = (r: StepEnd): void => {
      if (!r.ok || at === steps.length) done(r);
      else if (this.opts.signal?.aborted) done(ABORTED);
      else {
        const s = steps[at++];
        if (s.kind === 'think') this.think(s.seconds() * 1000, next);
        else this.request(name, index++, s, vu, measured, next);
      }
    };
    next(OK);
  }

  /** Waits `ms`, then `next(OK)`; `next(ABORTED)` at once when the run is aborted meanwhile. */
  private think(ms: number, next: (r: StepEnd) => void): void {
    const t = setTimeout(() => {
      this.thinking.delete(t);
      next(this.opts.signal?.aborted ? ABORTED : OK);
    }, ms);
    this.thinking.set(t, () => next(ABORTED));
  }

  private render(s: CompiledRequest, vu: VirtualUser): OutgoingRequest {
    const headers: [string, string][] = [];
    for (const [k, t] of s.headers) {
      const v = t.render(vu);
      // Values from feeds, captures and faker are checked here: refused, counted, never sent.
      if (headerValueProblem(v) !== undefined) throw new RenderError('bad_request', `header ${k}`);
      headers.push([k, v]);
    }
    const path = s.path.render(vu);
    const cookie = vu.jar.header(path, performance.now());
    if (cookie !== undefined) headers.push(['cookie', cookie]);
    const req: OutgoingRequest = { method: s.method, path, headers };
    if (s.body) req.body = s.body(vu);
    return req;
  }

  private request(
    flow: string,
    i: number,
    s: CompiledRequest,
    vu: VirtualUser,
    measured: boolean,
    done: (r: StepEnd) => void,
  ): void {
    const started = performance.now();
    let req: OutgoingRequest;
    try {
      req = this.render(s, vu);
    } catch (e) {
      if (!(e instanceof RenderError)) throw e;
      done(this.fail(flow, i, e.reason, false, measured));
      return;
    }
    this.transport.request(req, s.keepBody ? this.sendOpts.keep : this.sendOpts.drop, (err, res) => {
      if (err || !res) done(this.fail(flow, i, err?.reason ?? 'error', false, measured));
      else done(this.judge(flow, i, s, vu, measured, res, started));
    });
  }

  private fail(flow: string, i: number, cause: string, sent: boolean, measured: boolean): StepEnd {
    this.stats.error(flow, i, cause, this.nowS(), measured, sent);
    return { ok: false, cause };
  }

  /** Books a response: cookies, status, checks, then captures into the user's variables. */
  private judge(
    flow: string,
    i: number,
    s: CompiledRequest,
    vu: VirtualUser,
    measured: boolean,
    res: IncomingResponse,
    started: number,
  ): StepEnd {
    const view = new ResponseView(res, res.endedAt - started);
    vu.jar.store(res.headers['set-cookie'], res.endedAt);
    this.stats.response(flow, i, res.status, view.latencyMs, this.nowS(), measured);
    let cause: string | undefined;
    for (const { c, regex } of s.check) {
      const ok = passes(c, view, regex);
      this.stats.check(flow, i, c.name, ok, measured);
      if (!ok) cause ??= `check:${c.name}`;
    }
    if (
      cause === undefined &&
      !s.check.some(({ c }) => c.kind === 'status') &&
      (res.status < 200 || res.status > 299)
    )
      cause = `status_${res.status}`;
    if (cause === undefined) {
      for (const { c, regex } of s.capture) {
        const v = captured(c, view, regex);
        if (v === undefined) {
          cause = `capture:${c.name}`;
          break;
        }
        vu.vars.set(c.name, v);
      }
    }
    return cause === undefined ? OK : this.fail(flow, i, cause, true, measured);
  }
}

/**
 * The executor a scheduler starts journeys through: picks the virtual user (closed-model user `k`,
 * or a free one in the open model), runs the flow, and gives the user back.
 */
export class FlowExecutor {
  constructor(
    private readonly runner: FlowRunner,
    private readonly users: UserPool,
    private readonly t0: number,
  ) {}

  /** Starts journey `journey` for closed-model user `user` (undefined: open model). */
  startJourney(journey: number, user: number | undefined, intendedMs: number): Promise<FlowOutcome> {
    return new Promise((resolve) => this.begin(journey, user, intendedMs, resolve));
  }

  /** {@link startJourney} with a callback: `done` runs once, when the flow ended. */
  begin(journey: number, user: number | undefined, intendedMs: number, done: (o: FlowOutcome) => void): void {
    const vu = user === undefined ? this.users.acquire() : this.users.user(user);
    if (!('id' in vu)) {
      done({ ok: false, cause: 'feed_exhausted', endMs: performance.now() - this.t0 });
      return;
    }
    this.runner.start(journey, vu, intendedMs, (o) => {
      if (user === undefined) this.users.release(vu);
      done(o);
    });
  }
}
