/**
 * The content and data half of a scenario, built on one kernel: catalog, CDN edges, hybrid P2P
 * streaming, sharded stores and event streams. The request engine hands content here, from journey
 * steps and from calls inside service routes (`cdn`, `stores.<name>`):
 *
 * - `stream` plays a track (P2P when the scenario has `p2p`, its server part through the CDN when it
 *   has `cdn`; a plain CDN fetch otherwise);
 * - `cdn` fetches a catalog item through the CDN;
 * - `stores.<name>` reads the store;
 * - a call of a route named by a stream's `produce` (e.g. `gateway.play`) publishes one message.
 *
 * Content schedules its own faults (`crash: stores.x`, `crash: streams.x`, region outages for CDN
 * edges) and its own warm-up reset, so the engine only has to resolve targets once and call
 * {@link Content.request}. Completion comes back through {@link ContentHooks.done} with the caller's
 * token, so the per-request path allocates nothing.
 *
 * The result shapes and their pooling across replications are in `content-results.ts`.
 */
import type { Fault, Scenario } from '../../scenarios/schema.js';
import { cumulative } from '../kernel/cumulative.js';
import type { Kernel } from '../kernel/kernel.js';
import type { RandomStreams, Rng } from '../kernel/random.js';
import { Catalog, DEFAULT_CATALOG } from './catalog.js';
import { Cdn } from './cdn.js';
import type { ContentRaw, ContentResults } from './content-results.js';
import { P2p } from './p2p.js';
import { Store, type StoreNetwork } from './store.js';
import { EventStream } from './stream.js';

/** How content answers its caller. */
export interface ContentHooks {
  /** Content request `token` finished; `ok` false with a cause (`unavailable`, `no_source`). */
  done(token: number, ok: boolean, cause?: string): void;
  /** One-way latency between two regions in seconds, charged when a CDN request fails over. */
  latency?(a: string, b: string): number;
  /** The engine's network (region numbers as `regions`), read by stores that list regions. */
  network?: StoreNetwork;
}

/** The scenario sections content reads (a structural subset of {@link Scenario}). */
export type ContentScenario = Pick<
  Scenario,
  'catalog' | 'cdn' | 'p2p' | 'stores' | 'streams' | 'faults' | 'regions' | 'users' | 'warmup'
>;

/** Target kinds, packed into a target id as `kind * 2^20 + index`. */
const PLAY = 1;
const FETCH = 2;
const STORE = 3;
const STREAM = 4;
const KIND = 2 ** 20;
/**
 * CDN tokens at and above this are P2P server fetches (slot = token − base), not caller tokens (the
 * engine's frame refs stay below it: see `MAX_REF` in sim/topology/frames.ts).
 */
const P2P_BASE = 2 ** 48;

/** Where the content models' per-interval series go (the engine's timeline recorder). */
export interface ContentTimeline {
  closeCdn(rows: Record<string, { requests: number; hitRatio: number }>): void;
  closeStream(name: string, lag: number): void;
}

/** The content models of one replication. */
export class Content {
  readonly catalog: Catalog | undefined;
  readonly cdn: Cdn | undefined;
  readonly p2p: P2p | undefined;
  readonly stores: Store[] = [];
  readonly streams: EventStream[] = [];
  readonly regionNames: string[];
  private readonly storeNames: string[];
  private readonly streamNames: string[];
  private readonly storeKeyItem: Uint8Array;
  private readonly streamKey: ('user' | 'item' | 'random')[];
  private readonly producers = new Map<string, number[]>();
  private readonly regionShares: Float64Array;
  private readonly faults: Fault[];
  private readonly pick: Rng;
  /** Region of the play being started, read by the P2P server hook (set just before the call). */
  private playRegion = 0;

  constructor(
    kernel: Kernel,
    scenario: ContentScenario,
    streams: RandomStreams,
    private readonly hooks: ContentHooks,
  ) {
    const rng = (name: string) => streams.stream(name);
    this.pick = rng('content');
    const regions = Object.entries(scenario.regions);
    this.regionNames = regions.length ? regions.map(([n]) => n) : ['default'];
    this.regionShares = cumulative(regions.length ? regions.map(([, r]) => r.users) : [1]);
    const needsCatalog = scenario.cdn !== undefined || scenario.p2p !== undefined;
    const catalogOpts = scenario.catalog ?? (needsCatalog ? DEFAULT_CATALOG : undefined);
    if (catalogOpts) this.catalog = new Catalog(catalogOpts, rng('catalog'));

    if (scenario.cdn && this.catalog) {
      const cdn = new Cdn(kernel, scenario.cdn, this.catalog, rng, (token, ok) => this.cdnDone(token, ok));
      const lat = hooks.latency;
      if (lat) cdn.failoverDelay = (a, b) => lat(cdn.edgeNames[a], cdn.edgeNames[b]);
      this.cdn = cdn;
    }
    if (scenario.p2p && this.catalog) {
      const a = scenario.users.arrivals;
      const population = scenario.users.population;
      const clients = a.kind === 'closed' ? a.users : Math.max(1, Math.min(population || 1000, 2000));
      const p2p = new P2p(
        kernel,
        { ...scenario.p2p, clients, population: Math.max(population, clients) },
        this.catalog,
        rng,
        (token, ok) => hooks.done(token, ok, ok ? undefined : 'no_source'),
      );
      const cdn = this.cdn;
      if (cdn) {
        p2p.serverFetch = (slot, item) => cdn.request(P2P_BASE + slot, this.edgeFor(this.playRegion), item);
      }
      this.p2p = p2p;
    }

    this.storeNames = Object.keys(scenario.stores);
    this.storeKeyItem = new Uint8Array(this.storeNames.length);
    this.storeNames.forEach((name, i) => {
      const def = scenario.stores[name];
      this.storeKeyItem[i] = def.key === 'item' ? 1 : 0;
      const keys = def.skew?.kind === 'zipf' ? def.skew.n || undefined : undefined;
      this.stores.push(
        new Store(
          kernel,
          name,
          { ...def, keys },
          rng,
          (token, ok) => hooks.done(token, ok, ok ? undefined : 'unavailable'),
          this.regionNames,
          def.regions?.length ? hooks.network : undefined,
        ),
      );
    });

    this.streamNames = Object.keys(scenario.streams);
    this.streamKey = [];
    this.streamNames.forEach((name, i) => {
      const def = scenario.streams[name];
      this.streams.push(new EventStream(kernel, name, def, rng));
      this.streamKey.push(def.key);
      const list = this.producers.get(def.produce) ?? [];
      list.push(i);
      this.producers.set(def.produce, list);
    });

    this.faults = scenario.faults;
    const hFault = kernel.on((arg) => this.fault(arg));
    this.faults.forEach((f, i) => {
      if (!this.ownsFault(f)) return;
      kernel.at(f.at, hFault, i * 2);
      kernel.at(f.at + f.for, hFault, i * 2 + 1);
    });
    if (scenario.warmup > 0)
      kernel.at(
        scenario.warmup,
        kernel.on(() => this.resetStats()),
      );
  }

  /**
   * The target id of a content step (`stream`, `cdn`, `stores.<name>`), resolved once; -1 when the
   * step is not content or names nothing this scenario has.
   */
  target(step: string): number {
    if (step === 'stream') {
      if (this.p2p) return PLAY * KIND;
      if (this.cdn) return FETCH * KIND;
      return -1;
    }
    if (step === 'cdn') return this.cdn ? FETCH * KIND : -1;
    if (step.startsWith('stores.')) {
      const i = this.storeNames.indexOf(step.slice(7));
      return i >= 0 ? STORE * KIND + i : -1;
    }
    if (step.startsWith('streams.')) {
      const i = this.streamNames.indexOf(step.slice(8));
      return i >= 0 ? STREAM * KIND + i : -1;
    }
    return -1;
  }

  /** The stream indices a call of route `route` (e.g. `gateway.play`) produces to. */
  producersOf(route: string): number[] {
    return this.producers.get(route) ?? [];
  }

  /**
   * Starts content target `target` for caller `token`. `user` (≥ 0) keys stores, streams and P2P
   * clients; `region` is the caller's region index. Completion arrives through `hooks.done`, except
   * for `streams.<name>` steps, which produce one message and complete at once.
   */
  request(target: number, token: number, user = -1, region = -1): void {
    const kind = Math.floor(target / KIND);
    const index = target - kind * KIND;
    const r = region >= 0 ? region : this.regionOf(user);
    switch (kind) {
      case PLAY:
        this.playRegion = r;
        (this.p2p as P2p).request(token, user);
        return;
      case FETCH: {
        const cat = this.catalog as Catalog;
        (this.cdn as Cdn).request(token, this.edgeFor(r), cat.next(r));
        return;
      }
      case STORE: {
        const store = this.stores[index];
        const key = this.storeKeyItem[index] === 1 && this.catalog ? this.catalog.next(r) : user;
        store.request(token, store.skewed ? -1 : key, r);
        return;
      }
      case STREAM:
        this.produce(index, user);
        this.hooks.done(token, true);
        return;
      default:
        this.hooks.done(token, false, 'unknown_target');
    }
  }

  /**
   * When `user` stops listening to the track they play (`p2p.listen: track`); 0 when content keeps
   * no user busy after their request.
   */
  listeningUntil(user: number): number {
    return this.p2p ? this.p2p.listeningUntil(user) : 0;
  }

  /** Publishes one message to stream `index`, keyed as the stream says. */
  produce(index: number, user = -1): void {
    const mode = this.streamKey[index];
    const key = mode === 'item' && this.catalog ? this.catalog.next() : mode === 'user' ? user : -1;
    this.streams[index].produce(key);
  }

  /** Called by the engine on every call of route `route`: produces to the streams fed by it. */
  routeCalled(route: string, user = -1): void {
    const list = this.producers.get(route);
    if (list) for (const i of list) this.produce(i, user);
  }

  /** Forgets every counter (end of warm-up); caches, rings and backlogs stay. */
  resetStats(): void {
    this.cdn?.resetStats();
    this.p2p?.resetStats();
    for (const s of this.stores) s.resetStats();
    for (const s of this.streams) s.resetStats();
  }

  /** Closes the timeline interval: each CDN edge's requests and hit ratio, each stream's peak lag. */
  closeInterval(timeline: ContentTimeline): void {
    if (this.cdn) timeline.closeCdn(this.cdn.takeInterval());
    for (const s of this.streams) timeline.closeStream(s.name, s.takeLagMax());
  }

  /** The content sections of the RunResult (absent sections stay undefined). */
  results(): ContentResults {
    const out: ContentResults = {};
    if (this.cdn) out.cdn = this.cdn.results();
    if (this.p2p) out.p2p = this.p2p.result();
    if (this.stores.length) out.stores = Object.fromEntries(this.stores.map((s) => [s.name, s.result()]));
    if (this.streams.length) out.streams = Object.fromEntries(this.streams.map((s) => [s.name, s.result()]));
    return out;
  }

  /** This replication's results with the histograms and byte totals `combineContent` (content-results.ts) pools. */
  raw(): ContentRaw {
    const p = this.p2p;
    return {
      results: this.results(),
      playback: p?.playbackStart,
      stores: Object.fromEntries(this.stores.map((s) => [s.name, s.latency])),
      bytes: p
        ? {
            cache: p.cacheBytes,
            peer: p.peerBytes,
            server: p.serverBytes,
            stutters: p.stutters,
            lookups: p.lookups,
            lookupsWithoutPeers: p.lookupsWithoutPeers,
            failures: p.failures,
          }
        : undefined,
    };
  }

  private edgeFor(region: number): number {
    return (this.cdn as Cdn).edgeOf(this.regionNames[region] ?? '');
  }

  private regionOf(user: number): number {
    const n = this.regionShares.length;
    if (n === 1) return 0;
    const u = user >= 0 ? (user * 0.6180339887498949) % 1 : this.pick();
    for (let i = 0; i < n; i++) if (u < this.regionShares[i]) return i;
    return n - 1;
  }

  private cdnDone(token: number, ok: boolean): void {
    if (token >= P2P_BASE) (this.p2p as P2p).serverAnswered(token - P2P_BASE, ok);
    else this.hooks.done(token, ok, ok ? undefined : 'no_source');
  }

  private ownsFault(f: Fault): boolean {
    if (f.kind === 'crash') return f.target.startsWith('stores.') || f.target.startsWith('streams.');
    if (f.kind === 'outage') return this.cdn !== undefined || this.stores.some((s) => s.placement.regional);
    return false;
  }

  private fault(arg: number): void {
    const f = this.faults[arg >> 1];
    const start = (arg & 1) === 0;
    if (f.kind === 'crash') {
      const [head, name] = f.target.split('.');
      if (head === 'stores') this.stores[this.storeNames.indexOf(name)]?.crash(f.count, start);
      else this.streams[this.streamNames.indexOf(name)]?.crash(f.count, start);
    } else if (f.kind === 'outage') {
      const e = this.cdn ? this.cdn.edgeNames.indexOf(f.region) : -1;
      if (e >= 0) this.cdn?.setDown(e, start);
      const r = this.regionNames.indexOf(f.region);
      if (r >= 0) for (const s of this.stores) s.outage(r, start ? 1 : -1);
    }
  }
}

/** Builds the content models of `scenario` on `kernel` (the build step's one entry point). */
export function buildContent(
  kernel: Kernel,
  scenario: ContentScenario,
  streams: RandomStreams,
  hooks: ContentHooks,
): Content {
  return new Content(kernel, scenario, streams, hooks);
}

/** Whether `scenario` has any content section the engine should build {@link Content} for. */
export function hasContent(scenario: ContentScenario): boolean {
  return (
    scenario.cdn !== undefined ||
    scenario.p2p !== undefined ||
    Object.keys(scenario.stores).length > 0 ||
    Object.keys(scenario.streams).length > 0
  );
}
