/**
 * Runs flows: a virtual user's steps in order over a {@link Transport}, with its variables, feed
 * rows and cookies; checks and captures decide whether each step, and so the journey, failed.
 * A journey's outcome is the whole flow (its latency runs from the intended start to the last
 * byte of the last step, as in the simulation); steps and checks go to {@link FlowStats}.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { headerValueProblem } from '../../scenarios/load-http.js';
import { RenderError } from '../template.js';
import {
  type IncomingResponse,
  type OutgoingRequest,
  type Transport,
  TransportError,
} from '../transport/transport.js';
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

/** Runs flows of one program against one transport. */
export class FlowRunner {
  constructor(
    private readonly program: FlowProgram,
    private readonly transport: Transport,
    private readonly stats: FlowStats,
    private readonly opts: FlowRunOptions,
  ) {}

  private nowS(): number {
    return (performance.now() - this.opts.t0) / 1000;
  }

  /** Runs journey `j` for `vu`, intended to start `intendedMs` after the run's start. */
  async run(j: number, vu: VirtualUser, intendedMs: number): Promise<FlowOutcome> {
    const measured = intendedMs / 1000 >= (this.opts.warmup ?? 0);
    const end = (cause?: string): FlowOutcome => ({
      ok: cause === undefined,
      cause,
      endMs: performance.now() - this.opts.t0,
    });
    if (this.program.session && !vu.sessionDone) {
      const r = await this.steps(SESSION, this.program.session, vu, measured);
      if (!r.ok) return end(`session:${r.cause}`);
      vu.sessionDone = true;
    }
    const flow = this.program.journeys[j];
    const r = await this.steps(flow.name, flow.steps, vu, measured);
    return end(r.ok ? undefined : r.cause);
  }

  /** Runs `steps` of flow `name`; request steps are numbered in order for the stats. */
  private async steps(
    name: string,
    steps: CompiledStep[],
    vu: VirtualUser,
    measured: boolean,
  ): Promise<StepEnd> {
    let index = 0;
    for (const s of steps) {
      if (this.opts.signal?.aborted) return { ok: false, cause: 'aborted' };
      if (s.kind === 'think') {
        try {
          await delay(s.seconds() * 1000, undefined, { signal: this.opts.signal });
        } catch {
          return { ok: false, cause: 'aborted' };
        }
        continue;
      }
      const r = await this.request(name, index++, s, vu, measured);
      if (!r.ok) return r;
    }
    return { ok: true };
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

  private async request(
    flow: string,
    i: number,
    s: CompiledRequest,
    vu: VirtualUser,
    measured: boolean,
  ): Promise<StepEnd> {
    const started = performance.now();
    const fail = (cause: string, sent: boolean): StepEnd => {
      this.stats.error(flow, i, cause, this.nowS(), measured, sent);
      return { ok: false, cause };
    };
    let req: OutgoingRequest;
    try {
      req = this.render(s, vu);
    } catch (e) {
      if (e instanceof RenderError) return fail(e.reason, false);
      throw e;
    }
    let res: IncomingResponse;
    try {
      res = await this.transport.send(req, {
        keepBody: s.keepBody,
        maxBodyBytes: this.opts.maxBodyBytes,
        timeoutMs: this.opts.timeoutMs,
        // No per-request abort listener (it cost 40 % of requests/s with 50 users in flight):
        // stopping closes the transport, which aborts every request in flight.
      });
    } catch (e) {
      if (e instanceof TransportError) return fail(e.reason, false);
      throw e;
    }
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
    return cause === undefined ? { ok: true } : fail(cause, true);
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
  async startJourney(journey: number, user: number | undefined, intendedMs: number): Promise<FlowOutcome> {
    const vu = user === undefined ? this.users.acquire() : this.users.user(user);
    if (!('id' in vu)) return { ok: false, cause: 'feed_exhausted', endMs: performance.now() - this.t0 };
    try {
      return await this.runner.run(journey, vu, intendedMs);
    } finally {
      if (user === undefined) this.users.release(vu);
    }
  }
}
