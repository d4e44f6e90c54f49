/**
 * Routes compiled to flat programs: each route is a list of steps, each step one call or a parallel
 * group of calls, stored in typed arrays so the engine walks them without touching objects.
 *
 * Every service has a default route (index 0 of its routes): its own work and no calls. A call to
 * `svc` or to a route `svc` does not define lands there.
 */
import type { Call } from '../../scenarios/schema.js';
import type { NamedService } from './topology-scenario.js';

/**
 * A compiled journey step or route call naming content target `target` (the content bridge's id):
 * negative, so the engine tells it from a route index with one sign test.
 */
export function contentStep(target: number): number {
  return -2 - target;
}

/** The content target a negative compiled step or call names ({@link contentStep} undone). */
export function contentTargetOf(step: number): number {
  return -2 - step;
}

/** Step targets that belong to the content models (CDN, P2P, stores, streams), not to services. */
export function isContentTarget(target: string): boolean {
  return (
    target === 'stream' || target === 'cdn' || target.startsWith('stores.') || target.startsWith('streams.')
  );
}

/** Content targets a service route may call (a request/answer call, unlike producing to a stream). */
export function isRouteContentCall(target: string): boolean {
  return target === 'cdn' || target.startsWith('stores.');
}

/** The compiled routes of every service. */
export class Routes {
  /** Service index of each route. */
  readonly service: Int32Array;
  /** `svc.route` name of each route, for messages. */
  readonly names: string[];
  /** First step and step count of each route. */
  readonly stepStart: Int32Array;
  readonly stepCount: Int32Array;
  /** First call and call count of each step. */
  readonly callStart: Int32Array;
  readonly callCount: Int32Array;
  /**
   * Target route, probability and timeout override (NaN = the callee's) of each call. A call to a
   * content target (`cdn`, `stores.<name>`) is stored as {@link contentStep} of the content
   * bridge's target id, so the engine tells the two apart with one sign test.
   */
  readonly callRoute: Int32Array;
  readonly callP: Float64Array;
  readonly callTimeout: Float64Array;
  /** What each call names (`svc.route`, `stores.x`, `cdn`), for spans and messages. */
  readonly callNames: string[] = [];
  /** Route index by `svc` and `svc.route`. */
  private readonly byName = new Map<string, number>();

  /**
   * @param contentTarget the content bridge's target id of a step (`Content.target`), when the scenario
   *   has content models; route calls to `cdn` and `stores.<name>` it resolves are kept, other content
   *   calls (and all of them without content) are dropped.
   */
  constructor(services: readonly NamedService[], contentTarget?: (step: string) => number) {
    const names: string[] = [];
    const owner: number[] = [];
    services.forEach((s, i) => {
      this.byName.set(s.name, names.length);
      names.push(s.name);
      owner.push(i);
      for (const r of Object.keys(s.routes)) {
        this.byName.set(`${s.name}.${r}`, names.length);
        names.push(`${s.name}.${r}`);
        owner.push(i);
      }
    });
    const stepStart: number[] = [];
    const stepCount: number[] = [];
    const callStart: number[] = [];
    const callCount: number[] = [];
    const callRoute: number[] = [];
    const callP: number[] = [];
    const callTimeout: number[] = [];
    const contentOf = (call: string): number =>
      contentTarget !== undefined && isRouteContentCall(call) ? contentTarget(call) : -1;
    const pushCall = (c: LeafCall) => {
      callRoute.push(isContentTarget(c.call) ? contentStep(contentOf(c.call)) : this.resolve(c.call));
      callP.push(c.p);
      callTimeout.push(c.timeout ?? Number.NaN);
      this.callNames.push(c.call);
    };
    names.forEach((name, r) => {
      const svc = services[owner[r]];
      const dot = name.indexOf('.');
      const calls: Call[] = dot < 0 ? [] : (svc.routes[name.slice(dot + 1)] ?? []);
      stepStart.push(callStart.length);
      let steps = 0;
      for (const c of calls) {
        const group = 'parallel' in c ? flatten(c.parallel) : [c];
        const kept = group.filter((g) => !isContentTarget(g.call) || contentOf(g.call) >= 0);
        if (kept.length === 0) continue;
        callStart.push(callRoute.length);
        callCount.push(kept.length);
        for (const g of kept) pushCall(g);
        steps++;
      }
      stepCount.push(steps);
    });
    this.names = names;
    this.service = Int32Array.from(owner);
    this.stepStart = Int32Array.from(stepStart);
    this.stepCount = Int32Array.from(stepCount);
    this.callStart = Int32Array.from(callStart);
    this.callCount = Int32Array.from(callCount);
    this.callRoute = Int32Array.from(callRoute);
    this.callP = Float64Array.from(callP);
    this.callTimeout = Float64Array.from(callTimeout);
  }

  /** Number of routes. */
  get size(): number {
    return this.names.length;
  }

  /** Route index of `svc` or `svc.route` (an undefined route means the service's own work). */
  resolve(target: string): number {
    const exact = this.byName.get(target);
    if (exact !== undefined) return exact;
    const svc = this.byName.get(target.split('.')[0]);
    if (svc === undefined) throw new Error(`unknown service in call \`${target}\``);
    return svc;
  }
}

/** A call that is not a parallel group. */
type LeafCall = Exclude<Call, { parallel: Call[] }>;

/** Nested parallel groups run as one group: waiting for all of all is waiting for all. */
function flatten(calls: Call[]): LeafCall[] {
  return calls.flatMap((c) => ('parallel' in c ? flatten(c.parallel) : [c]));
}
