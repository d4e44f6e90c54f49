/**
 * A twin store: every node is its own HTTP server on 127.0.0.1 that answers a read after a time
 * drawn from the store's `time` (no worker limit, as in the simulator's store). Which nodes hold a
 * key, where the read is coordinated and how many answers it needs is the simulator's own rule
 * (`sim/content/store-placement.ts`: the same ring with `vnodes`, the same regions and consistency
 * levels). The read goes to the asked nodes at once and finishes at the needed answer. The
 * coordinator knows which nodes are down (gossip): with fewer live replicas than needed the read
 * fails at once as `unavailable`, as in the simulator.
 *
 * A `key: item` store reads the catalog item the request names (`item.ts`), else one drawn from the
 * catalog by the caller's region, as the simulation draws it; `key: user` reads the user's key.
 *
 * With `regions`, the network is slept as the simulator charges it: one-way latency from the
 * caller's region to the coordinator's and back, and to each replica in another region and back.
 */
import type http from 'node:http';
import { createServer } from 'node:http';
import type { Store } from '../../scenarios/schema.js';
import { StoreHealth } from '../../sim/content/store-health.js';
import { StorePlacement } from '../../sim/content/store-placement.js';
import { sampler } from '../../sim/kernel/distributions.js';
import type { RandomStreams } from '../../sim/kernel/random.js';
import { zipfSampler } from '../../sim/kernel/zipf.js';
import type { Network } from '../../sim/topology/network.js';
import { type CallOutcome, callOnce } from './calls.js';
import { closeServer, listen, send, sleep } from './http.js';

/** The store fields the twin reads. */
export type TwinStoreDef = Pick<
  Store,
  'shards' | 'vnodes' | 'replication' | 'consistency' | 'key' | 'skew' | 'time' | 'regions'
>;

const UNAVAILABLE: CallOutcome = { ok: false, status: 503, cause: 'unavailable' };

/** One running store. */
export class TwinStore {
  readonly servers: http.Server[] = [];
  readonly ports: number[] = [];
  readonly placement: StorePlacement;
  reads = 0;
  /** Reads asked of each node (the simulator's per-node `load`). */
  readonly load: number[];
  unavailable = 0;
  private readonly health: StoreHealth;
  private readonly keyDraw: (() => number) | undefined;

  private constructor(
    readonly name: string,
    def: TwinStoreDef,
    private readonly agent: http.Agent,
    private readonly network: Network,
    streams: RandomStreams,
    /** Draws a catalog item for a caller's region; only for a `key: item` store in a twin with a catalog. */
    private readonly drawItem: ((from: number) => number) | undefined,
  ) {
    this.placement = new StorePlacement(def, network.regions);
    this.load = Array.from({ length: this.placement.nodes }, () => 0);
    this.health = new StoreHealth(this.placement);
    if (def.skew?.kind === 'zipf')
      this.keyDraw = zipfSampler(
        def.skew.n || 1_000_000,
        def.skew.s,
        streams.stream(`twin:store:${name}:keys`),
      );
  }

  /**
   * Starts one server per node (per region, when the store lists regions). `items` draws a catalog
   * item for a caller's region (the twin's catalog; undefined without one).
   */
  static async start(
    name: string,
    def: TwinStoreDef,
    agent: http.Agent,
    network: Network,
    streams: RandomStreams,
    items?: (from: number) => number,
  ): Promise<TwinStore> {
    const store = new TwinStore(name, def, agent, network, streams, def.key === 'item' ? items : undefined);
    const time = sampler(def.time, streams.stream(`twin:store:${name}:time`));
    for (let i = 0; i < store.placement.nodes; i++) {
      const server = createServer((req, res) => {
        req.resume();
        void sleep(time()).then(() => send(res, 200, '{"ok":true}'));
      });
      server.keepAliveTimeout = 60_000;
      store.servers.push(server);
      store.ports.push(await listen(server, 0));
    }
    return store;
  }

  /**
   * Reads for a caller in region `from`: a hot key drawn from the store's skew, else the key the
   * simulation reads (`sim/content/content.ts`): with `key: item` the request's `item` (or one drawn
   * from the catalog), else `user`'s.
   */
  async read(user: number, from = 0, item?: number): Promise<CallOutcome> {
    this.reads++;
    const p = this.placement;
    const net = this.network;
    const key = this.keyDraw ? this.keyDraw() - 1 : this.drawItem ? (item ?? this.drawItem(from)) : user;
    const dc = p.coordinator(from, net, this.health.hasLive);
    if (dc < 0) return this.fail();
    const at = p.dcs[dc];
    const asked = new Int32Array(p.maxAsked);
    const live = Array.from(asked.subarray(0, p.replicas(key, dc, asked))).filter((node) =>
      this.health.answers(node, dc, net),
    );
    for (const node of live) this.load[node]++;
    if (live.length < p.need) return this.fail();
    if (p.regional) await sleep(net.delay(from, at));
    const out = await this.gather(live, dc);
    if (p.regional) await sleep(net.delay(at, from));
    return out;
  }

  /** Asks every node of `live` (from the coordinator's store region `dc`); settles at the needed answer. */
  private gather(live: readonly number[], dc: number): Promise<CallOutcome> {
    const p = this.placement;
    const net = this.network;
    const at = p.dcs[dc];
    return new Promise((resolve) => {
      let ok = 0;
      let answered = 0;
      let settled = false;
      const ask = async (node: number): Promise<CallOutcome> => {
        const there = p.dcs[p.dcOf(node)];
        const remote = p.regional && p.dcOf(node) !== dc;
        if (remote) await sleep(net.delay(at, there));
        const o = await callOnce(this.agent, this.ports[node], '/keys');
        if (remote) await sleep(net.delay(there, at));
        return o;
      };
      for (const node of live) {
        void ask(node).then((o) => {
          answered++;
          if (o.ok) ok++;
          if (settled) return;
          if (ok >= p.need) {
            settled = true;
            resolve({ ok: true, status: 200 });
          } else if (live.length - answered + ok < p.need) {
            settled = true;
            resolve(UNAVAILABLE);
          }
        });
      }
    });
  }

  private fail(): Promise<CallOutcome> {
    this.unavailable++;
    return Promise.resolve(UNAVAILABLE);
  }

  /** An outage of scenario region `region` starts (+1) or ends (-1): its nodes stop answering. */
  outage(region: number, delta: number): void {
    this.health.outage(region, delta);
  }

  /** Takes nodes `0..count-1` down (closing their ports) or brings them back. */
  async crash(count: number, down: boolean): Promise<void> {
    for (let i = 0; i < Math.min(count, this.servers.length); i++) {
      if (!this.health.crash(i, down)) continue;
      if (down) await closeServer(this.servers[i]);
      else this.ports[i] = await listen(this.servers[i], this.ports[i]);
    }
  }

  /** Closes every node. */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map(closeServer));
  }
}
