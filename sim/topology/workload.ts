/**
 * The workload of the topology engine: who arrives, when, from which region, and which journey they
 * take. Open arrivals (`poisson`, `ramp`, `diurnal`, `spike`, replay) start a visit per arrival, by a
 * user of the population when there is one (else an anonymous user numbered by visit, placed by the
 * regions' shares); closed arrivals keep a fixed population cycling through journey, think, journey.
 *
 * Journeys are compiled once: each step a route index, or `contentStep(target)` for a content step the
 * content models run (steps naming content the scenario lacks are dropped).
 */
import { readReplayFile } from '../../scenarios/replay-file.js';
import type { Content } from '../content/content.js';
import { sampler } from '../kernel/distributions.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/random.js';
import { ArrivalProcess } from './arrivals.js';
import type { EngineContext } from './engine-context.js';
import { Population } from './population.js';
import { contentStep, isContentTarget } from './routes.js';
import { namedJourneys, namedRegions } from './topology-scenario.js';

/** Arrivals, users and the journey mix of one replication. */
export class Workload {
  readonly population: Population | undefined;
  /** Per journey: compiled steps, and the step names they came from (span names). */
  readonly steps: Int32Array[];
  readonly stepNames: string[][];
  /** Per journey: think time between steps, when it has one. */
  readonly think: ((() => number) | undefined)[];
  private readonly kernel: Kernel;
  private readonly content: Content | undefined;
  private readonly duration: number;
  private readonly cumWeight: Float64Array;
  private readonly journeyRng: Rng;
  private readonly regionShares: Float64Array;
  private readonly arrivals: ArrivalProcess | undefined;
  private readonly closedThink: (() => number) | undefined;
  private readonly arrivalRng: Rng;
  private readonly hArrive: number;
  private readonly hClosed: number;

  /**
   * @param startVisit starts a journey for `user` in `region` (the engine's entry point).
   * @param anonymous the id of the next anonymous user (visits started so far).
   */
  constructor(
    ctx: EngineContext,
    private readonly startVisit: (user: number, region: number) => void,
    private readonly anonymous: () => number,
  ) {
    const { kernel, streams, routes, content, scenario } = ctx;
    this.kernel = kernel;
    this.content = content;
    this.duration = scenario.duration;
    const regions = namedRegions(scenario);
    const totalShare = regions.reduce((a, r) => a + r.users, 0) || 1;
    this.regionShares = new Float64Array(regions.length);
    let acc = 0;
    regions.forEach((r, i) => {
      acc += r.users / totalShare;
      this.regionShares[i] = acc;
    });

    const journeys = namedJourneys(scenario);
    this.cumWeight = new Float64Array(journeys.length);
    let tw = 0;
    journeys.forEach((j, i) => {
      tw += j.weight;
      this.cumWeight[i] = tw;
    });
    for (let i = 0; i < journeys.length; i++) this.cumWeight[i] /= tw;
    this.stepNames = journeys.map((j) =>
      j.steps.filter((s) => !isContentTarget(s) || (content !== undefined && content.target(s) >= 0)),
    );
    this.steps = this.stepNames.map((steps) =>
      Int32Array.from(
        steps.map((s) =>
          isContentTarget(s) ? contentStep((content as Content).target(s)) : routes.resolve(s),
        ),
      ),
    );
    this.think = journeys.map((j) =>
      j.think ? sampler(j.think, streams.stream(`think:${j.name}`)) : undefined,
    );
    this.journeyRng = streams.stream('journeys');
    this.arrivalRng = streams.stream('arrivals');

    const a = scenario.users.arrivals;
    const population = scenario.users.population;
    const shares = regions.map((r) => r.users);
    if (a.kind === 'closed') {
      this.population = new Population(a.users, shares, scenario.users.premium, streams.stream('population'));
      this.closedThink = sampler(a.think, streams.stream('users.think'));
    } else {
      const times = a.kind === 'replay' ? readReplayFile(a.file).times : undefined;
      this.arrivals = new ArrivalProcess(a, this.arrivalRng, times);
      if (population > 0) {
        this.population = new Population(
          population,
          shares,
          scenario.users.premium,
          streams.stream('population'),
        );
      }
    }
    this.hArrive = kernel.on(() => this.onArrive());
    this.hClosed = kernel.on((u) => this.startVisit(u, this.population!.region[u]));
  }

  /** Schedules the first arrival, or every closed user's first journey. */
  begin(): void {
    const k = this.kernel;
    if (this.arrivals) {
      const t = this.arrivals.next(k.now);
      if (t <= this.duration) k.at(t, this.hArrive);
    } else if (this.closedThink) {
      const pop = this.population!;
      for (let u = 0; u < pop.size; u++) k.schedule(this.closedThink(), this.hClosed, u);
    }
  }

  /** The journey a new visit takes, drawn by weight. */
  pickJourney(): number {
    const u = this.journeyRng();
    const cw = this.cumWeight;
    let j = 0;
    while (j < cw.length - 1 && u >= cw[j]) j++;
    return j;
  }

  /**
   * `user` finished a journey at `now`: a closed user thinks, then starts another — after the track
   * they still listen to, when the content says they do (`p2p.listen: track`).
   */
  visitEnded(user: number, now: number): void {
    if (this.closedThink && now < this.duration) {
      const listening = this.content ? Math.max(0, this.content.listeningUntil(user) - now) : 0;
      this.kernel.schedule(listening + this.closedThink(), this.hClosed, user);
    }
  }

  private onArrive(): void {
    const now = this.kernel.now;
    const t = this.arrivals!.next(now);
    if (t <= this.duration) this.kernel.at(t, this.hArrive);
    const pop = this.population;
    if (pop) {
      const u = pop.pick(this.arrivalRng);
      this.startVisit(u, pop.region[u]);
    } else {
      let region = 0;
      const cw = this.regionShares;
      if (cw.length > 1) {
        const x = this.arrivalRng();
        while (region < cw.length - 1 && x >= cw[region]) region++;
      }
      this.startVisit(this.anonymous(), region);
    }
  }
}
