/**
 * The parts of a scenario the load drivers, the k6 generator and the twin read. Sections are the
 * schema's own types; {@link LoadScenario} is the structural subset real load depends on, so tests
 * and tools can build one without every simulation section, and a validated `Scenario` is
 * assignable to it (checked below).
 */
import type { DistSpec } from '../scenarios/distribution.js';
import type {
  Call,
  Fault,
  Latency,
  Load,
  LoadRequest,
  LoadStage,
  Scenario,
  Service,
  Store,
} from '../scenarios/schema.js';

/** A downstream call of a route (the schema's `Call`). */
export type LoadCall = Call;

/** A service as the twin serves it: the core of the schema's `Service`, its resilience optional. */
export interface LoadService
  extends Partial<
    Pick<
      Service,
      'regions' | 'balance' | 'deadline' | 'breaker' | 'hedge' | 'shed' | 'autoscale' | 'discovery' | 'cost'
    >
  > {
  replicas: number;
  workers: number;
  queue: number;
  time: DistSpec;
  timeout?: number;
  routes?: Record<string, LoadCall[]>;
  retry?: { attempts: number; backoff: number; jitter: 'none' | 'full' | 'equal'; budget?: number };
}

/** One phase of a load profile (the schema's `LoadStage`); rates per second, durations in seconds. */
export type ProfilePhase = LoadStage;

/** A journey's HTTP request; text may hold `{{...}}` templates and `${env.NAME}` secrets. */
export type RequestSpec = LoadRequest;

/** The `load` section (the schema's `Load`). */
export type LoadSpec = Load;

/** A fault on the wall-clock timeline of the twin (the schema's `Fault`). */
export type LoadFault = Fault;

/** A latency or error budget (CONTRACT.md `Budget`). */
export interface LoadBudget {
  expr: string;
  subject: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=';
  limit: number;
}

/** Arrivals as the scenario states them (the subset real load can reproduce). */
export interface LoadArrivals {
  kind: string;
  rate?: number;
  from?: number;
  to?: number;
  over?: number;
  base?: number;
  peak?: number;
  at?: number;
  for?: number;
  users?: number;
  think?: DistSpec;
}

/** The scenario as `loadtests/` sees it. */
export interface LoadScenario {
  name: string;
  seed: number;
  duration: number;
  catalog?: { items: number; popularity: DistSpec };
  users: {
    population?: number;
    arrivals: LoadArrivals;
    journeys: Record<string, { weight: number; steps: string[]; think?: DistSpec }>;
  };
  services: Record<string, LoadService>;
  regions?: Record<string, { users: number }>;
  latency?: Latency;
  stores?: Record<string, Store>;
  /** Present when the scenario models the P2P client (the twin does not serve it). */
  p2p?: unknown;
  streams?: Record<string, unknown>;
  cdn?: { origin: { time: DistSpec }; edges: Record<string, { time: DistSpec; capacity: number }> };
  faults?: LoadFault[];
  budgets?: LoadBudget[];
  load?: LoadSpec;
}

/** Compile-time check: a validated Scenario is a LoadScenario. */
export type ScenarioIsLoadScenario = Scenario extends LoadScenario ? true : never;
const scenarioFits: ScenarioIsLoadScenario = true;
void scenarioFits;
