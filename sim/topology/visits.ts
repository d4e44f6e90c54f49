/**
 * Users' journeys in progress: a *visit* (a frame of kind VISIT) walks its journey's steps in order,
 * each a call to a service route (`calls.ts`) or a request to the content models (`cdn`, `stream`,
 * `stores.<name>`), with the journey's think time between steps when it has one. The visit ends at
 * its first failed step, with that step's cause, or after its last step; its latency and outcome go
 * to the journey's statistics (visits started after warm-up) and to the timeline (all).
 */
import type { Content } from '../content/content.js';
import type { Kernel } from '../kernel/kernel.js';
import type { JourneyStats } from '../queueing/journeys.js';
import type { TimelineRecorder } from '../queueing/timeline.js';
import { contentService } from './calls.js';
import { CAUSES, UNAVAILABLE } from './causes.js';
import type { EngineContext, VisitSide } from './engine-context.js';
import { type Frames, VISIT } from './frames.js';
import { contentTargetOf } from './routes.js';
import type { Tracer } from './tracer.js';
import { Workload } from './workload.js';

/** Journeys in progress, for one replication. */
export class Visits implements VisitSide {
  /** Who arrives and which journey they take. */
  readonly workload: Workload;
  /** Visits started (all, warm-up included). */
  started = 0;
  private readonly kernel: Kernel;
  private readonly frames: Frames;
  private readonly content: Content | undefined;
  private readonly stats: JourneyStats[];
  private readonly timeline: TimelineRecorder;
  private readonly tracer: Tracer | undefined;
  /** The workload's compiled journeys, held here for the hot path. */
  private readonly journeySteps: Int32Array[];
  private readonly journeyStepNames: string[][];
  private readonly think: ((() => number) | undefined)[];
  private readonly warmup: number;
  private readonly hThink: number;

  /** @param ctx the engine context; its calls are reached only when events fire. */
  constructor(private readonly ctx: EngineContext) {
    this.kernel = ctx.kernel;
    this.frames = ctx.frames;
    this.content = ctx.content;
    this.stats = ctx.stats;
    this.timeline = ctx.timeline;
    this.tracer = ctx.tracer;
    this.warmup = ctx.scenario.warmup;
    this.workload = new Workload(
      ctx,
      (user, region) => this.start(user, region),
      () => this.started,
    );
    this.journeySteps = this.workload.steps;
    this.journeyStepNames = this.workload.stepNames;
    this.think = this.workload.think;
    this.hThink = ctx.kernel.on((ref) => {
      const v = this.frames.deref(ref);
      if (v >= 0) this.startStep(v);
    });
  }

  /** `user` in `region` starts a journey. */
  private start(user: number, region: number): void {
    const f = this.frames;
    const j = this.workload.pickJourney();
    const v = f.alloc(VISIT);
    f.parent[v] = -1;
    f.start[v] = this.kernel.now;
    f.deadline[v] = Number.POSITIVE_INFINITY;
    f.region[v] = region;
    f.user[v] = user;
    f.route[v] = j;
    f.pc[v] = 0;
    this.started++;
    if (this.tracer !== undefined) this.tracer.visitStart(v, this.stats[j].name, this.kernel.now);
    if (this.journeySteps[j].length === 0) this.end(v, 0);
    else this.startStep(v);
  }

  private startStep(v: number): void {
    const f = this.frames;
    const step = this.journeySteps[f.route[v]][f.pc[v]];
    if (step < 0) {
      if (this.tracer !== undefined) {
        const name = this.journeyStepNames[f.route[v]][f.pc[v]];
        this.tracer.stepStart(v, name, contentService(this.content, name), this.kernel.now);
      }
      (this.content as Content).request(contentTargetOf(step), f.ref(v), f.user[v], f.region[v]);
      return;
    }
    this.ctx.calls.startCall(v, step, Number.NaN);
  }

  /**
   * The content models answered visit `v`'s content step; a failure (a store `unavailable`, no CDN
   * edge or origin, no P2P source) fails the step as `unavailable`.
   */
  contentStepDone(v: number, ok: boolean): void {
    const cause = ok ? 0 : UNAVAILABLE;
    if (this.tracer !== undefined) this.tracer.stepEnd(v, this.kernel.now, cause);
    this.stepDone(v, ok, cause);
  }

  /** Visit `v`'s current step answered: on to the next (after thinking), or the visit ends. */
  stepDone(v: number, ok: boolean, cause: number): void {
    if (!ok) {
      this.end(v, cause);
      return;
    }
    const f = this.frames;
    const j = f.route[v];
    const next = ++f.pc[v];
    if (next < this.journeySteps[j].length) {
      const think = this.think[j];
      if (think) this.kernel.schedule(think(), this.hThink, f.ref(v));
      else this.startStep(v);
      return;
    }
    this.end(v, 0);
  }

  private end(v: number, cause: number): void {
    const f = this.frames;
    const j = f.route[v];
    const start = f.start[v];
    const now = this.kernel.now;
    if (cause === 0) {
      this.timeline.success(j, now - start);
      if (start >= this.warmup) {
        const s = this.stats[j];
        s.count++;
        s.latency.record(now - start);
      }
    } else {
      this.timeline.failure(j);
      if (start >= this.warmup) {
        const s = this.stats[j];
        s.count++;
        const name = CAUSES[cause];
        s.errors[name] = (s.errors[name] ?? 0) + 1;
        s.failed.record(now - start);
      }
    }
    if (this.tracer !== undefined) this.tracer.visitEnd(v, now, cause);
    const user = f.user[v];
    f.release(v);
    this.workload.visitEnded(user, now);
  }
}
