/**
 * Names `loadtests/` gives the schema's section types. The scenario itself is never copied here:
 * each module takes `Pick<Scenario, …>` of the schema's type, listing the sections it reads.
 */
import type { Budget, SubjectKind } from '../scenarios/budgets.js';
import type { Call, Fault, Load, LoadRequest, LoadStage, Service } from '../scenarios/schema.js';

/** A downstream call of a route (the schema's `Call`). */
export type LoadCall = Call;

/** A service as the twin serves it (the schema's `Service`). */
export type LoadService = Service;

/** One phase of a load profile (the schema's `LoadStage`); rates per second, durations in seconds. */
export type ProfilePhase = LoadStage;

/** A journey's HTTP request; text may hold `{{...}}` templates and `${env.NAME}` secrets. */
export type RequestSpec = LoadRequest;

/** The `load` section (the schema's `Load`). */
export type LoadSpec = Load;

/** A fault on the wall-clock timeline of the twin (the schema's `Fault`). */
export type LoadFault = Fault;

/**
 * A budget as load commands judge it: the schema's `Budget` without its source position, `kind`
 * absent when a budget comes back from a merged k6 run's metadata.
 */
export type LoadBudget = Pick<Budget, 'expr' | 'subject' | 'metric' | 'op' | 'limit' | 'passWithoutData'> & {
  kind?: SubjectKind;
};
