/**
 * Scenario → model graph for one replication.
 *
 * One engine, the topology engine (`topology/`), runs every scenario. When a scenario is a plain
 * queueing network (what `queueing/fast-path.ts` allows: Poisson arrivals, one region, journeys of
 * service steps, services without routes, resilience, autoscaling or faults) the build takes a fast
 * path on the stations (`queueing/`), which gives identical results for less work; the queueing
 * validation and the kernel benchmark measure it. Both report through the same views, so `run.ts`
 * does not care which one ran.
 */
import type { FaultMark, ServiceResult } from '../results/run-result.js';
import type { Scenario } from '../scenarios/schema.js';
import { buildContent, type Content, hasContent } from './content/content.js';
import { sampler } from './kernel/distributions.js';
import { Kernel } from './kernel/kernel.js';
import { RandomStreams } from './kernel/random.js';
import { fastPathAccepts } from './queueing/fast-path.js';
import { type JourneyStats, Journeys } from './queueing/journeys.js';
import { plainTimeline, type Ticker } from './queueing/plain-timeline.js';
import { Requests } from './queueing/requests.js';
import { Service } from './queueing/service.js';
import { niceInterval, type TimelineRecorder } from './queueing/timeline.js';
import { Users } from './queueing/users.js';
import { Topology } from './topology/topology.js';
import type { Tracer } from './topology/tracer.js';

/** What a replication reports about one service: its result before intervals across replications. */
export interface ServiceOut extends Omit<ServiceResult, 'ci'> {
  name: string;
}

/** A read-only view of one service for results and snapshots. */
export interface ServiceView {
  name: string;
  /** Replicas serving now. */
  serving(): number;
  utilization(now: number): number;
  meanQueue(now: number): number;
  /** Everything measured since warm-up. */
  report(now: number): ServiceOut;
}

/** Everything one replication runs on. */
export interface Model {
  kernel: Kernel;
  journeys: { stats: JourneyStats[] };
  services: ServiceView[];
  /** Per-interval series (topology engine). */
  timeline?: TimelineRecorder;
  faults: FaultMark[];
  /** Samples the runner takes between kernel slices (plain networks' timeline). */
  ticker?: Ticker;
  /** The topology engine, when it runs this scenario. */
  topology?: Topology;
  /** The content models (CDN, P2P, stores, streams), when the scenario has any. */
  content?: Content;
}

/**
 * Runs `model` until `until`, taking its ticker's samples on the way. Use this rather than
 * `kernel.run` so plain networks get their timeline; the events fired are the same either way.
 */
export function advance(model: Model, until: number): void {
  const t = model.ticker;
  while (t && t.next <= until) {
    model.kernel.run(t.next);
    t.tick();
  }
  model.kernel.run(until);
}

/**
 * Which engine runs a scenario: `auto` lets {@link build} take the stations fast path when it
 * accepts the scenario; `topology` forces the general engine (the cross-check of the two).
 */
export type Engine = 'auto' | 'topology';

/**
 * Builds the model of `scenario` for replication `replication` with master seed `seed`. A `tracer`
 * gets the topology engine's spans; the stations fast path writes none (tracing does not switch
 * engines, so a traced run gives the same result as an untraced one).
 */
export function build(
  scenario: Scenario,
  seed: number,
  replication: number,
  tracer?: Tracer,
  engine: Engine = 'auto',
): Model {
  return engine === 'auto' && fastPathAccepts(scenario)
    ? buildStations(scenario, seed, replication)
    : buildTopology(scenario, seed, replication, tracer);
}

/** Builds the topology engine on `scenario`. */
function buildTopology(scenario: Scenario, seed: number, replication: number, tracer?: Tracer): Model {
  const kernel = new Kernel(4096);
  const streams = new RandomStreams(seed, replication);
  // Content answers through the topology, which exists by the time any content request completes.
  let link: Topology | undefined;
  const content = hasContent(scenario)
    ? buildContent(kernel, scenario, streams, {
        done: (ref, ok) => link?.contentDone(ref, ok),
        // Stores with regions read the engine's network, built with the topology below.
        network: {
          delay: (a, b) => (link as Topology).network.delay(a, b),
          oneWay: (a, b) => (link as Topology).network.oneWay(a, b),
          reachable: (a, b) => (link as Topology).network.reachable(a, b),
        },
      })
    : undefined;
  const topo = new Topology(kernel, streams, scenario, content, tracer);
  link = topo;
  topo.begin();
  const services: ServiceView[] = topo.serviceNames.map((name, s) => ({
    name,
    serving: () => topo.serving(s),
    utilization: (now) => topo.utilization(s, now),
    meanQueue: (now) => topo.meanQueue(s, now),
    report: (now) => topo.serviceStats(s, now),
  }));
  return {
    kernel,
    journeys: { stats: topo.stats },
    services,
    timeline: topo.timeline,
    faults: topo.faults,
    topology: topo,
    content,
  };
}

function buildStations(scenario: Scenario, seed: number, replication: number): Model {
  const kernel = new Kernel(4096);
  const streams = new RandomStreams(seed, replication);
  const requests = new Requests(1024);
  const journeyNames = Object.keys(scenario.users.journeys);
  const journeys = new Journeys(
    kernel,
    streams.stream('journeys'),
    requests,
    journeyNames.map((name) => ({ name, weight: scenario.users.journeys[name].weight })),
  );
  journeys.warmup = scenario.warmup;

  const byName = new Map<string, Service>();
  const onDone = (req: number) => journeys.advance(req);
  for (const [name, def] of Object.entries(scenario.services)) {
    const time = sampler(def.time, streams.stream(`service:${name}`));
    byName.set(name, new Service(kernel, name, { ...def, time }, onDone));
  }
  journeyNames.forEach((name, j) => {
    const steps = scenario.users.journeys[name].steps.map((step) => {
      const svc = byName.get(step.split('.')[0]);
      if (!svc) throw new Error(`unknown service in step ${step}`); // the loader rejects this earlier
      return svc;
    });
    journeys.setSteps(j, steps);
  });

  const a = scenario.users.arrivals;
  if (a.kind !== 'poisson') throw new Error('plain networks have Poisson arrivals');
  const users = new Users(kernel, streams.stream('arrivals'), journeys, a, scenario.duration);
  const services = [...byName.values()];
  const ticker = plainTimeline(
    kernel,
    journeys.stats,
    services,
    niceInterval(scenario.duration),
    scenario.duration,
    scenario.warmup,
    () => {
      for (const s of services) s.resetStats(kernel.now);
    },
  );
  users.begin();
  const views: ServiceView[] = services.map((svc) => ({
    name: svc.name,
    serving: () => svc.replicas.length,
    utilization: (now) => svc.utilization(now),
    meanQueue: (now) => svc.meanQueue(now),
    report: (now) => {
      const counts = svc.counts();
      return {
        name: svc.name,
        replicas: svc.replicas.length,
        workers: scenario.services[svc.name].workers,
        utilization: svc.utilization(now),
        queue: svc.meanQueue(now),
        ...counts,
        // What the topology engine reports of features the fast path does not run: none happened.
        retries: 0,
        timeouts: 0,
        hedges: 0,
        breakerOpen: 0,
        expired: 0,
        replicasOverTime: [[0, svc.replicas.length]],
      };
    },
  }));
  return { kernel, journeys, services: views, timeline: ticker.recorder, ticker, faults: [] };
}
