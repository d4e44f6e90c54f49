/**
 * The twin: a scenario served as real HTTP services on 127.0.0.1, so a real load test always has
 * a live endpoint and its measurements can be set beside the simulation's predictions.
 *
 * - every service is its own HTTP server with `replicas × workers` real slots and a waiting room
 *   (see `replicas.ts`); a request holds its slot for a service time drawn from the scenario's
 *   distribution (a timer, so the process stays free) and, thread-per-request style, while it
 *   calls the route's downstream services over real HTTP, in sequence or in parallel, with the
 *   callee's timeout and retries;
 * - the edge (the `--port`) maps a request to its journey (by the scenario's `load.requests`
 *   paths, `/journeys/<name>` or an `x-backline-journey` header) and walks the journey's steps;
 *   `stream`/`cdn` steps go through an in-memory LRU CDN;
 * - faults fire on the wall clock from start: `crash` closes the service's listener (connection
 *   refused) or takes replicas down, `slow` adds time, `errors` fails a share with 500.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FaultMark, ServiceResult } from '../../results/run-result.js';
import { sampler } from '../../sim/kernel/distributions.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { zipfSampler } from '../../sim/kernel/zipf.js';
import type { LoadCall, LoadScenario, LoadService } from '../shape.js';
import { type CallOutcome, call } from './calls.js';
import { LruCache } from './cdn.js';
import { Replicas } from './replicas.js';

/** Options of the twin. */
export interface TwinOptions {
  /** Edge port (default 0: any free port). */
  port?: number;
  seed?: number;
  /** Apply the scenario's faults (default true). */
  faults?: boolean;
}

/** Where the twin listens. */
export interface TwinEndpoints {
  url: string;
  services: Record<string, string>;
}

interface ServiceNode {
  name: string;
  def: LoadService;
  server: http.Server;
  port: number;
  replicas: Replicas;
  time: () => number;
  rng: () => number;
  slow: number;
  errorRate: number;
  crashed: boolean;
  retries: number;
  timeouts: number;
}

const sleep = (seconds: number) => new Promise<void>((r) => setTimeout(r, seconds * 1000));

function send(res: http.ServerResponse, status: number, body: string, cause?: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  if (cause) res.setHeader('x-backline-cause', cause);
  res.end(body);
}

async function listen(server: http.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** A running twin. */
export class Twin {
  readonly endpoints: TwinEndpoints;
  readonly faults: FaultMark[] = [];
  private readonly t0 = performance.now();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  private constructor(
    private readonly scenario: LoadScenario,
    private readonly nodes: Map<string, ServiceNode>,
    private readonly edge: http.Server,
    private readonly agent: http.Agent,
    edgePort: number,
    readonly cdn: LruCache | undefined,
  ) {
    this.endpoints = {
      url: `http://127.0.0.1:${edgePort}`,
      services: Object.fromEntries([...nodes.values()].map((n) => [n.name, `http://127.0.0.1:${n.port}`])),
    };
  }

  /** Seconds since the twin started (the fault timeline's clock). */
  now(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** Starts every service and the edge; resolves once all listen. */
  static async start(scenario: LoadScenario, opts: TwinOptions = {}): Promise<Twin> {
    const seed = opts.seed ?? scenario.seed;
    const streams = new RandomStreams(seed, 0);
    const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
    const nodes = new Map<string, ServiceNode>();
    const clock = () => performance.now() / 1000;
    for (const [name, def] of Object.entries(scenario.services)) {
      const node: ServiceNode = {
        name,
        def,
        server: http.createServer(),
        port: 0,
        replicas: new Replicas(def.replicas, def.workers, def.queue, clock),
        time: sampler(def.time, streams.stream(`twin:service:${name}`)),
        rng: streams.stream(`twin:faults:${name}`),
        slow: 0,
        errorRate: 0,
        crashed: false,
        retries: 0,
        timeouts: 0,
      };
      node.server.keepAliveTimeout = 60_000;
      nodes.set(name, node);
    }
    const cdnDef = scenario.cdn;
    const edgeDef = cdnDef ? Object.values(cdnDef.edges)[0] : undefined;
    const meanItem = 4e6;
    const cdn = edgeDef ? new LruCache(Math.floor(edgeDef.capacity / meanItem)) : undefined;
    const edge = http.createServer();
    edge.keepAliveTimeout = 60_000;
    const callRng = streams.stream('twin:retry');
    const routeRng = streams.stream('twin:routes');
    const items = scenario.catalog
      ? zipfSampler(
          Math.max(1, Math.floor(scenario.catalog.items)),
          scenario.catalog.popularity.kind === 'zipf' ? scenario.catalog.popularity.s : 1,
          streams.stream('twin:items'),
        )
      : () => 1;
    const cdnEdgeTime = edgeDef ? sampler(edgeDef.time, streams.stream('twin:cdn:edge')) : () => 0;
    const cdnOriginTime = cdnDef ? sampler(cdnDef.origin.time, streams.stream('twin:cdn:origin')) : () => 0;

    /** A content step through the CDN: the item from the path, else a Zipf draw. */
    const content = async (path: string): Promise<CallOutcome> => {
      if (!cdn) return { ok: true, status: 200 };
      const key = /\/(\d+)(?:\/|$)/.exec(path)?.[1] ?? String(items());
      await sleep(cdn.touch(key) ? cdnEdgeTime() : cdnEdgeTime() + cdnOriginTime());
      return { ok: true, status: 200 };
    };

    /** One call of a route or journey step: `svc`, `svc.route`, `cdn`, `stream`, `stores.x`. */
    const step = async (target: string, path: string, timeout?: number): Promise<CallOutcome> => {
      if (target === 'cdn' || target === 'stream') return content(path);
      const [svc, route] = target.split('.', 2);
      const node = nodes.get(svc);
      if (!node) return { ok: true, status: 200 };
      const out = await call(
        agent,
        { port: node.port, timeout: timeout ?? node.def.timeout, retry: node.def.retry },
        `/routes/${route ?? ''}`,
        callRng,
      );
      node.retries += out.retries;
      if (out.cause === 'timeout') node.timeouts++;
      return out;
    };

    const runCalls = async (calls: readonly LoadCall[]): Promise<CallOutcome> => {
      for (const c of calls) {
        if ('parallel' in c) {
          const outs = await Promise.all(c.parallel.map((p) => runCalls([p])));
          const bad = outs.find((o) => !o.ok);
          if (bad) return bad;
          continue;
        }
        if ((c.p ?? 1) < 1 && routeRng() >= (c.p ?? 1)) continue;
        const out = await step(c.call, '', c.timeout);
        if (!out.ok) return out;
      }
      return { ok: true, status: 200 };
    };

    for (const node of nodes.values()) {
      node.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
        req.resume();
        const route = /^\/routes\/([^/?]*)/.exec(req.url ?? '')?.[1] ?? '';
        const admit = node.replicas.acquire();
        if (!admit) return send(res, 503, '{"error":"rejected"}', 'rejected');
        void admit.then(async (replica) => {
          try {
            await sleep(node.time() + node.slow);
            if (node.errorRate > 0 && node.rng() < node.errorRate) {
              return send(res, 500, '{"error":"fault"}', 'fault');
            }
            const calls = node.def.routes?.[route];
            const out = calls ? await runCalls(calls) : { ok: true, status: 200 };
            if (out.ok) send(res, 200, '{"ok":true}');
            else send(res, out.status, `{"error":${JSON.stringify(out.cause ?? 'error')}}`, out.cause);
          } finally {
            node.replicas.release(replica);
          }
        });
      });
      node.port = await listen(node.server, 0);
    }

    const journeyNames = Object.keys(scenario.users.journeys);
    const matchers = journeyNames.map((name) => ({
      name,
      re: pathPattern(scenario.load?.requests?.[name]?.path),
    }));
    edge.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      req.resume();
      const url = req.url ?? '/';
      const path = url.split('?')[0];
      const header = req.headers['x-backline-journey'];
      const name =
        (typeof header === 'string' && journeyNames.includes(header) ? header : undefined) ??
        /^\/journeys\/([^/?]+)/.exec(path)?.[1] ??
        matchers.find((m) => m.re?.test(path))?.name;
      const journey = name ? scenario.users.journeys[name] : undefined;
      if (!journey) return send(res, 404, '{"error":"no journey matches this request"}', 'not_found');
      void (async () => {
        for (const s of journey.steps) {
          const out = await step(s, path);
          if (!out.ok)
            return send(res, out.status, `{"error":${JSON.stringify(out.cause ?? 'error')}}`, out.cause);
        }
        send(res, 200, `{"journey":${JSON.stringify(name)}}`);
      })();
    });
    const edgePort = await listen(edge, opts.port ?? 0);
    const twin = new Twin(scenario, nodes, edge, agent, edgePort, cdn);
    if (opts.faults !== false) twin.schedule();
    return twin;
  }

  /** Arms the fault timeline. */
  private schedule(): void {
    for (const f of this.scenario.faults ?? []) {
      const node = 'target' in f ? this.nodes.get(String(f.target)) : undefined;
      if (!node) continue;
      const apply = (on: boolean) => {
        if (this.stopped) return;
        if (f.kind === 'crash')
          void this.crash(node, on ? ((f as { count?: number }).count ?? node.def.replicas) : 0);
        else if (f.kind === 'slow') node.slow = on ? (f as { add: number }).add : 0;
        else if (f.kind === 'errors') node.errorRate = on ? (f as { rate: number }).rate : 0;
      };
      this.timers.push(setTimeout(() => apply(true), f.at * 1000));
      this.timers.push(setTimeout(() => apply(false), (f.at + f.for) * 1000));
      this.faults.push({ at: f.at, for: f.for, label: `${f.kind} ${node.name}` });
    }
  }

  /** Takes `count` replicas of `node` down; all of them closes its port (connection refused). */
  private async crash(node: ServiceNode, count: number): Promise<void> {
    node.replicas.setDown(Math.min(count, node.def.replicas));
    const all = count >= node.def.replicas;
    if (all && !node.crashed) {
      node.crashed = true;
      node.server.close();
      node.server.closeAllConnections();
    } else if (!all && node.crashed) {
      node.crashed = false;
      await listen(node.server, node.port);
    }
  }

  /** Per-service counters since start, in the RunResult's service shape. */
  services(): Record<string, ServiceResult> {
    const out: Record<string, ServiceResult> = {};
    for (const n of this.nodes.values()) {
      out[n.name] = {
        replicas: n.def.replicas,
        workers: n.def.workers,
        utilization: Math.round(n.replicas.utilization() * 1e6) / 1e6,
        queue: 0,
        served: n.replicas.served,
        rejected: n.replicas.rejected,
        retries: n.retries,
        timeouts: n.timeouts,
      };
    }
    return out;
  }

  /** Stops every server and timer; resolves when all are closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.agent.destroy();
    const close = (s: http.Server) =>
      new Promise<void>((r) => {
        if (!s.listening) return r();
        s.close(() => r());
        s.closeAllConnections();
      });
    await Promise.all([close(this.edge), ...[...this.nodes.values()].map((n) => close(n.server))]);
  }
}

/** A regex for a request path template: each `{{…}}`/`${env.…}` matches one path segment. */
export function pathPattern(template: string | undefined): RegExp | undefined {
  if (!template) return undefined;
  const path = template.split('?')[0];
  const parts = path.split(/(\{\{[^}]*\}\}|\$\{env\.[A-Za-z0-9_]+\})/);
  const re = parts.map((p, i) => (i % 2 === 1 ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${re}$`);
}

/** Starts the twin of `scenario`. */
export function startTwin(scenario: LoadScenario, opts: TwinOptions = {}): Promise<Twin> {
  return Twin.start(scenario, opts);
}
