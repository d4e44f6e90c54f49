/**
 * The twin: a scenario served as real HTTP services on 127.0.0.1, so a real load test always has
 * a live endpoint and its measurements can be set beside the simulation's predictions.
 *
 * - every replica of every service is its own HTTP server (`service.ts`) with `workers` real slots
 *   and a waiting room; callers pick the replica (`placement.ts`, the simulator's balancers and
 *   region failover) and apply the callee's breaker, timeout, hedge and retries (`calls.ts`);
 *   one-way latency between regions is slept on each way; autoscaled services get new replica
 *   slots after the provisioning delay (`autoscale.ts`); stores are node servers read at their
 *   consistency level, per region with the simulator's placement rule (`store.ts`); `stream`/`cdn` steps go through the first edge's byte cache (`cdn.ts`);
 * - each service also has a front port (`endpoints.services`) that balances like a caller in the
 *   first region, for trying one service by hand; it closes while no replica is up;
 * - the edge (the `--port`, `edge.ts`) maps a request to its journey, draws the user's region and
 *   walks the journey's steps;
 * - faults fire on the wall clock from start (`faults.ts`); what the twin does not serve is listed
 *   by `unserved.ts`; answers are counted (`meter.ts`) and traced on request (`tracing.ts`).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FaultMark, ServiceResult } from '../../results/run-result.js';
import { Catalog, DEFAULT_CATALOG } from '../../sim/content/catalog.js';
import { sampler } from '../../sim/kernel/distributions.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { Network } from '../../sim/topology/network.js';
import type { LoadService } from '../shape.js';
import { TwinScaling } from './autoscale.js';
import { Caller } from './calls.js';
import { TwinCdn } from './cdn.js';
import { runRegistries, staleBurstsOf } from './discovery.js';
import { TwinEdge } from './edge.js';
import { scheduleFaults } from './faults.js';
import { closeServer, listen, send } from './http.js';
import { TwinMeter, type TwinServiceFigures } from './meter.js';
import { TwinPlacement } from './placement.js';
import type { TwinReplica } from './replicas.js';
import { replicaHandler, type ServiceState, Steps } from './service.js';
import { TwinStore } from './store.js';
import type { OtelTracing, TracingOptions } from './tracing.js';
import type { TwinScenario } from './twin-scenario.js';
import { type UnservedPart, unservedParts } from './unserved.js';
import type { ZipkinCollector } from './zipkin.js';

/** Options of the twin. */
export interface TwinOptions {
  /** Edge port (default 0: any free port). */
  port?: number;
  seed?: number;
  /** Apply the scenario's faults (default true). */
  faults?: boolean;
  /** In its own process: send the per-service figures (`meter.ts`) with every snapshot. */
  figures?: boolean;
  /** Export spans (OTLP and/or Zipkin), continuing incoming W3C `traceparent` headers. */
  tracing?: TracingOptions;
}

/** Where the twin listens. */
export interface TwinEndpoints {
  url: string;
  services: Record<string, string>;
}

type Named = LoadService & { name: string };

/** A running twin. */
export class Twin {
  endpoints: TwinEndpoints = { url: '', services: {} };
  faults: FaultMark[] = [];
  /** Parts of the scenario the twin does not serve. */
  readonly unserved: UnservedPart[];
  private readonly t0 = performance.now();
  private readonly servers: http.Server[] = [];
  private readonly replicaServers = new Map<TwinReplica, http.Server>();
  private readonly fronts: http.Server[] = [];
  private readonly frontPorts: number[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly stores = new Map<string, TwinStore>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  private readonly defs: Named[];
  private readonly serviceIndex: Map<string, number>;
  private readonly streams: RandomStreams;
  private readonly network: Network;
  private readonly placement: TwinPlacement;
  private readonly caller: Caller;
  private readonly states: ServiceState[];
  private readonly scaling: TwinScaling;
  private readonly replicasOverTime: [number, number][][];
  readonly cdn: TwinCdn | undefined;
  /** What each service answered (always counted: one map update and one histogram record a request). */
  readonly meter: TwinMeter;
  private tracing: OtelTracing | undefined;
  private steps!: Steps;
  private readonly edge: TwinEdge;
  private stopped = false;

  private constructor(
    private readonly scenario: TwinScenario,
    seed: number,
  ) {
    this.unserved = unservedParts(scenario);
    this.streams = new RandomStreams(seed, 0);
    const regions = Object.keys(scenario.regions ?? {});
    const names = regions.length > 0 ? regions : ['default'];
    // The schema fills in `latency` (none between regions) when the scenario leaves it out.
    this.network = new Network(names, scenario.latency, this.streams.stream('twin:network'));
    this.defs = Object.entries(scenario.services).map(([name, def]) => ({ ...def, name }));
    this.serviceIndex = new Map(this.defs.map((s, i) => [s.name, i]));
    const clock = () => this.now();
    this.placement = new TwinPlacement(this.defs, names, this.network, this.streams, clock);
    this.caller = new Caller(this.defs, this.placement, this.network, this.agent, this.streams, clock);
    this.states = this.defs.map((s) => ({
      routes: s.routes ?? {},
      time: sampler(s.time, this.streams.stream(`twin:service:${s.name}`)),
      deadline: s.deadline,
      slow: 0,
      errorRate: 0,
      rng: this.streams.stream(`twin:faults:${s.name}`),
      rejected: 0,
      expired: 0,
    }));
    this.replicasOverTime = this.defs.map(() => []);
    this.meter = new TwinMeter(this.defs.map((d) => d.name));
    this.scaling = new TwinScaling(this.defs, this.placement, clock, (s) => this.noteReplicas(s));
    this.edge = new TwinEdge(
      scenario,
      this.network.regions,
      this.streams,
      () => this.steps,
      () => this.tracing,
    );
    const cdn = scenario.cdn;
    this.cdn =
      cdn && Object.keys(cdn.edges).length > 0
        ? new TwinCdn(cdn, scenario.catalog, this.streams, () => this.now())
        : undefined;
  }

  /**
   * The catalog `key: item` stores draw from when a request names no item: the CDN's, else the
   * scenario's (the default one with P2P), else none, as the simulation has one exactly then.
   */
  private storeCatalog(): Catalog | undefined {
    if (this.cdn) return this.cdn.catalog;
    const s = this.scenario;
    const opts = s.catalog ?? (s.cdn || s.p2p ? DEFAULT_CATALOG : undefined);
    return opts && new Catalog(opts, this.streams.stream('twin:items'));
  }

  /** Seconds since the twin started (the fault timeline's clock). */
  now(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** Starts every server; resolves once all listen. On failure every server opened is closed again. */
  static async start(scenario: TwinScenario, opts: TwinOptions = {}): Promise<Twin> {
    const twin = new Twin(scenario, opts.seed ?? scenario.seed);
    if (opts.tracing) twin.tracing = (await import('./tracing.js')).startTracing(scenario.name, opts.tracing);
    try {
      await twin.open(opts.port ?? 0);
    } catch (err) {
      await twin.stop();
      throw err;
    }
    runRegistries(twin.placement.registries, () => (twin.stopped ? undefined : twin.now()));
    if (opts.faults !== false) {
      const { timers, marks } = scheduleFaults(
        scenario.faults ?? [],
        {
          serviceIndex: twin.serviceIndex,
          states: twin.states,
          placement: twin.placement,
          network: twin.network,
          stores: twin.stores,
          setDown: (r, d) => twin.setDown(r, d),
        },
        () => twin.stopped,
      );
      twin.timers.push(...timers);
      twin.faults = marks;
    }
    return twin;
  }

  private async open(edgePort: number): Promise<void> {
    const s = this.scenario;
    const catalog = this.storeCatalog();
    const items = catalog && ((from: number) => catalog.next(from));
    for (const [name, def] of Object.entries(s.stores ?? {}))
      this.stores.set(name, await TwinStore.start(name, def, this.agent, this.network, this.streams, items));
    this.steps = new Steps(
      this.caller,
      this.serviceIndex,
      {
        content: (path) => (this.cdn ? this.cdn.serve(path) : Promise.resolve({ ok: true, status: 200 })),
        stores: this.stores,
      },
      this.streams.stream('twin:routes'),
      () => this.now(),
    );
    this.scaling.begin();
    for (const r of this.placement.replicas) {
      const watch = this.meter.watch(r.service, this.tracing);
      const handler = replicaHandler(this.states[r.service], r, this.steps, () => this.now(), watch);
      const server = this.serve(http.createServer(handler));
      this.replicaServers.set(r, server);
      r.port = await listen(server, 0);
    }
    for (let si = 0; si < this.defs.length; si++) {
      const front = this.serve(http.createServer((req, res) => this.front(si, req, res)));
      this.fronts.push(front);
      this.frontPorts.push(await listen(front, 0));
      this.noteReplicas(si);
    }
    const edge = this.serve(http.createServer((req, res) => this.edge.handle(req, res)));
    const port = await listen(edge, edgePort);
    this.endpoints = {
      url: `http://127.0.0.1:${port}`,
      services: Object.fromEntries(
        this.defs.map((sv, i) => [sv.name, `http://127.0.0.1:${this.frontPorts[i]}`]),
      ),
    };
  }

  private serve(server: http.Server): http.Server {
    server.keepAliveTimeout = 60_000;
    this.servers.push(server);
    return server;
  }

  /** A service's front port: the replica a caller in the first region would get. */
  private front(s: number, req: http.IncomingMessage, res: http.ServerResponse): void {
    const user = Number(req.headers['x-backline-user'] ?? 0) || 0;
    const r = this.placement.choose(s, 0, user);
    if (r < 0) {
      req.resume();
      send(res, 503, '{"error":"unavailable"}', 'unavailable');
      return;
    }
    this.replicaServers.get(this.placement.replicas[r])?.emit('request', req, res);
  }

  /** A fault takes replica `r` down or releases it: its port closes (connection refused) or reopens. */
  private setDown(r: TwinReplica, delta: number): void {
    const was = r.routable();
    r.setDown(delta);
    const server = this.replicaServers.get(r);
    if (server && was && r.down > 0) void closeServer(server);
    else if (server && r.down === 0 && !server.listening)
      void listen(server, r.port).catch(() =>
        listen(server, 0).then((p) => {
          r.port = p;
        }),
      );
    this.noteReplicas(r.service);
    const front = this.fronts[r.service];
    const any = this.placement.of(r.service).some((x) => x.routable());
    if (front && !any && front.listening) void closeServer(front);
    else if (front && any && !front.listening) void listen(front, this.frontPorts[r.service]);
  }

  private noteReplicas(s: number): void {
    const n = this.placement.of(s).filter((r) => r.routable()).length;
    const series = this.replicasOverTime[s];
    if (series.at(-1)?.[1] !== n) series.push([Math.round(this.now() * 1000) / 1000, n]);
  }

  /** Per-service counters since start, in the RunResult's service shape. */
  services(): Record<string, ServiceResult> {
    const out: Record<string, ServiceResult> = {};
    this.defs.forEach((sv, i) => {
      const reps = this.placement.of(i);
      const areas = reps.map((r) => r.areas());
      const busy = areas.reduce((a, x) => a + x.busy, 0);
      const cap = areas.reduce((a, x) => a + x.cap, 0);
      const c = this.caller.counters[i];
      const br = this.caller.breakers[i];
      out[sv.name] = {
        replicas: reps.filter((r) => r.routable()).length,
        workers: sv.workers,
        utilization: cap > 0 ? Math.round((busy / cap) * 1e6) / 1e6 : 0,
        queue: reps.reduce((a, r) => a + r.queued, 0),
        served: reps.reduce((a, r) => a + r.served, 0),
        rejected: this.states[i].rejected,
        retries: c.retries,
        timeouts: c.timeouts,
        hedges: c.hedges,
        breakerOpen: c.breakerOpen,
        expired: this.states[i].expired,
        ...(br
          ? {
              breaker: br.transitions.map(
                ([t, st]) => [Math.round(t * 1000) / 1000, st] as [number, typeof st],
              ),
            }
          : {}),
        ...(sv.autoscale ? { replicasOverTime: this.replicasOverTime[i] } : {}),
        ...staleBurstsOf(this.placement.registries[i]),
      };
    });
    return out;
  }

  /** Per-service answers, latency and worker state since start (see `meter.ts`). */
  figures(): Record<string, TwinServiceFigures> {
    return this.meter.figures(this.placement);
  }

  /** The Zipkin v2 spans kept when tracing asked for them, and how many the cap dropped. */
  zipkin(): ZipkinCollector | undefined {
    return this.tracing?.zipkin;
  }

  /** Stops every server and timer, then ends and exports open spans; resolves when all are closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.scaling.stop();
    for (const t of this.timers) clearTimeout(t);
    this.agent.destroy();
    await Promise.all([...this.servers.map(closeServer), ...[...this.stores.values()].map((s) => s.stop())]);
    await this.tracing?.shutdown();
  }
}

/** Starts the twin of `scenario`. */
export function startTwin(scenario: TwinScenario, opts: TwinOptions = {}): Promise<Twin> {
  return Twin.start(scenario, opts);
}
