/**
 * Scenario → model graph for one replication: a kernel, seeded streams, services, journeys, users.
 */
import type { Scenario } from '../scenarios/schema.js';
import { sampler } from './kernel/distributions.js';
import { Kernel } from './kernel/kernel.js';
import { RandomStreams } from './kernel/random.js';
import { Journeys } from './models/journeys.js';
import { Requests } from './models/requests.js';
import { Service } from './models/service.js';
import { Users } from './models/users.js';

/** Everything one replication runs on. */
export interface Model {
  kernel: Kernel;
  services: Service[];
  journeys: Journeys;
  users: Users;
  requests: Requests;
}

/** Builds the model of `scenario` for replication `replication` with master seed `seed`. */
export function build(scenario: Scenario, seed: number, replication: number): Model {
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

  const users = new Users(
    kernel,
    streams.stream('arrivals'),
    journeys,
    scenario.users.arrivals,
    scenario.duration,
  );
  if (scenario.warmup > 0) {
    const reset = kernel.on(() => {
      for (const s of byName.values()) s.resetStats(kernel.now);
    });
    kernel.at(scenario.warmup, reset);
  }
  users.begin();
  return { kernel, services: [...byName.values()], journeys, users, requests };
}
