/**
 * What the topology engine reads of a scenario: a `Pick` of the schema's type, and the lists the
 * engine indexes by number (services, regions and journeys in the scenario's order).
 */
import { DEFAULT_REGION } from '../../scenarios/regions.js';
import type { Journey, Scenario, Service } from '../../scenarios/schema.js';

/** The sections of a scenario the topology engine runs on. */
export type TopologyScenario = Pick<
  Scenario,
  'duration' | 'warmup' | 'regions' | 'latency' | 'users' | 'services' | 'faults'
>;

/** A service of the scenario with its name (the engine numbers services in the scenario's order). */
export type NamedService = Service & { readonly name: string };

/** A journey of the scenario with its name. */
export type NamedJourney = Journey & { readonly name: string };

/** A region with its name and its share of users. */
export type NamedRegion = Scenario['regions'][string] & { readonly name: string };

/** The scenario's services, in order. */
export function namedServices(s: Pick<Scenario, 'services'>): NamedService[] {
  return Object.entries(s.services).map(([name, def]) => ({ name, ...def }));
}

/** The scenario's journeys, in order. */
export function namedJourneys(s: Pick<Scenario, 'users'>): NamedJourney[] {
  return Object.entries(s.users.journeys).map(([name, j]) => ({ name, ...j }));
}

/** The scenario's regions, in order; one region `default` holding every user when it declares none. */
export function namedRegions(s: Pick<Scenario, 'regions'>): NamedRegion[] {
  const regions = Object.entries(s.regions).map(([name, r]) => ({ name, ...r }));
  return regions.length > 0 ? regions : [{ name: DEFAULT_REGION, users: 1 }];
}
