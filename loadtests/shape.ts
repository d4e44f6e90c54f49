/**
 * Names `loadtests/` gives the schema's section types. The scenario itself is never copied here:
 * each module takes `Pick<Scenario, …>` of the schema's type, listing the sections it reads.
 */
import type { DistSpec } from '../scenarios/distribution.js';
import type {
  Call,
  Fault,
  Latency,
  Load,
  LoadRequest,
  LoadStage,
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
