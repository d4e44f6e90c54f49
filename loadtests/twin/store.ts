/**
 * A twin store: every node is its own HTTP server on 127.0.0.1 that answers a read after a time
 * drawn from the store's `time` (no worker limit, as in the simulator's store), and a read goes to
 * the key's `replication` nodes at once and finishes at the `consistency`-th answer (one, quorum =
 * ⌊RF/2⌋+1, all). The coordinator knows which nodes are down (gossip): with fewer live replicas
 * than needed the read fails at once as `unavailable`, as in the simulator.
 *
 * Key placement: `replication` consecutive nodes from a hash of the key, a ring with one point per
 * node. The simulator's ring has `vnodes` points per node; the two spread keys alike on average, so
 * latencies agree, but which keys share a node differs (hot-key pile-ups land on other nodes).
 */
import http from 'node:http';
import type { Store } from '../../scenarios/schema.js';
import { sampler } from '../../sim/kernel/distributions.js';
import type { RandomStreams } from '../../sim/kernel/random.js';
import { zipfSampler } from '../../sim/kernel/zipf.js';
import { mix32 } from '../../sim/resilience/balancer.js';
import { type CallOutcome, callOnce } from './calls.js';
import { closeServer, listen, send, sleep } from './http.js';

/** Answers needed at each consistency level for replication factor `rf`. */
function needed(consistency: Store['consistency'], rf: number): number {
  if (consistency === 'one') return 1;
  if (consistency === 'all') return rf;
  return Math.floor(rf / 2) + 1;
}

/** One running store. */
export class TwinStore {
  readonly servers: http.Server[] = [];
  readonly ports: number[] = [];
  readonly up: boolean[];
  reads = 0;
  unavailable = 0;
  private readonly rf: number;
  private readonly need: number;
  private readonly keyDraw: (() => number) | undefined;

  private constructor(
    readonly name: string,
    private readonly def: Pick<Store, 'shards' | 'replication' | 'consistency' | 'key' | 'skew' | 'time'>,
    private readonly agent: http.Agent,
    streams: RandomStreams,
  ) {
    this.rf = Math.min(def.replication, def.shards);
    this.need = needed(def.consistency, this.rf);
    this.up = Array.from({ length: def.shards }, () => true);
    if (def.skew?.kind === 'zipf')
      this.keyDraw = zipfSampler(1_000_000, def.skew.s, streams.stream(`twin:store:${name}:keys`));
  }

  /** Starts one server per node. */
  static async start(
    name: string,
    def: Pick<Store, 'shards' | 'replication' | 'consistency' | 'key' | 'skew' | 'time'>,
    agent: http.Agent,
    streams: RandomStreams,
  ): Promise<TwinStore> {
    const store = new TwinStore(name, def, agent, streams);
    const time = sampler(def.time, streams.stream(`twin:store:${name}:time`));
    for (let i = 0; i < def.shards; i++) {
      const server = http.createServer((req, res) => {
        req.resume();
        void sleep(time()).then(() => send(res, 200, '{"ok":true}'));
      });
      server.keepAliveTimeout = 60_000;
      store.servers.push(server);
      store.ports.push(await listen(server, 0));
    }
    return store;
  }

  /** Reads the key of `user` (or a hot key drawn from the store's skew). */
  read(user: number): Promise<CallOutcome> {
    this.reads++;
    const key = this.keyDraw ? this.keyDraw() : user;
    const first = mix32(key + 0x2545f491) % this.def.shards;
    const live: number[] = [];
    for (let k = 0; k < this.rf; k++) {
      const node = (first + k) % this.def.shards;
      if (this.up[node]) live.push(node);
    }
    if (live.length < this.need) {
      this.unavailable++;
      return Promise.resolve({ ok: false, status: 503, cause: 'unavailable' });
    }
    return new Promise((resolve) => {
      let ok = 0;
      let answered = 0;
      let settled = false;
      for (const node of live) {
        void callOnce(this.agent, this.ports[node], `/keys/${key}`).then((o) => {
          answered++;
          if (o.ok) ok++;
          if (settled) return;
          if (ok >= this.need) {
            settled = true;
            resolve({ ok: true, status: 200 });
          } else if (live.length - answered + ok < this.need) {
            settled = true;
            resolve({ ok: false, status: 503, cause: 'unavailable' });
          }
        });
      }
    });
  }

  /** Takes nodes `0..count-1` down (closing their ports) or brings them back. */
  async crash(count: number, down: boolean): Promise<void> {
    for (let i = 0; i < Math.min(count, this.servers.length); i++) {
      if (this.up[i] === !down) continue;
      this.up[i] = !down;
      if (down) await closeServer(this.servers[i]);
      else this.ports[i] = await listen(this.servers[i], this.ports[i]);
    }
  }

  /** Closes every node. */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map(closeServer));
  }
}
