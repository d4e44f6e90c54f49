/**
 * Hybrid P2P/server music streaming after Spotify's 2010 desktop client (Kreitz & Niemelä, IEEE P2P
 * 2010): a local cache per client, the first seconds of a track from the server while the client
 * searches for peers, peers ranked by expected download time, the server again when a piece becomes
 * urgent, and a prefetch of the next track near the end of the current one.
 *
 * ## Unit of modelling: one event per track, a fluid model inside it
 *
 * The client moves 16 kB chunks, several hundred per track; an event per chunk would cost ~300 events
 * per play for no change in the measured shares. Here a play is decided at its start and the download
 * inside it is a fluid: the server delivers the head (it is throttled to `serverHead` seconds ahead of
 * playback once peers are known), peers then deliver the rest at their aggregate rate (each found peer
 * at an exponentially distributed share of `uplink`; sorting by expected download time and greedy
 * requests amount to using them all in parallel), and when that rate is below the bitrate the buffer
 * drains until it holds `urgent` seconds, from which point the server takes the rest. The byte split
 * and any stutter follow in closed form. Events: server answer, playback start, prefetch.
 *
 * ## Population: simulated clients and the overlay around them
 *
 * `clients` clients are simulated with their own LRU caches (filled at start to their steady state:
 * `p2p-warm.ts`) and their own taste (`p2p-taste.ts`). The overlay they search is the whole
 * `population`, seen through Che occupancy, the overlay's reach, the tracker and NATs
 * (`p2p-peers.ts`): a paper-scale overlay (millions) costs nothing while only a sample is simulated.
 * Every knob is a scenario field (`scenarios/content.ts`); the options type is `p2p-options.ts`.
 */
import { LatencyHistogram } from '../../results/histogram.js';
import type { P2pResult } from '../../results/run-result.js';
import { sampler } from '../kernel/distributions.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/random.js';
import { LruCache } from './cache.js';
import type { Catalog } from './catalog.js';
import { Listening } from './p2p-listen.js';
import type { P2pOptions } from './p2p-options.js';
import { PeerFinder } from './p2p-peers.js';
import { Taste } from './p2p-taste.js';
import { warmCaches } from './p2p-warm.js';

export { lognormal, type P2pOptions } from './p2p-options.js';

/**
 * How a server request is made: the CDN when one is attached (it calls {@link P2p.serverAnswered}
 * later), or the model's own `server` time when undefined.
 */
export type ServerFetch = (slot: number, item: number) => void;

/** Called when a play starts (ok) or cannot start at all (ok false: no server, no peer). */
export type P2pDone = (token: number, ok: boolean) => void;

// Field offsets within a play's row (see `P2p.play`).
const TOKEN = 0;
const CLIENT = 1;
const ITEM = 2;
const START = 3;
const PEERS = 4;
const RATE = 5;
const SEARCH = 6;
const LISTEN = 7;
const PLAY_FIELDS = 8;

/** The hybrid streaming model. */
export class P2p {
  readonly clients: number;
  plays = 0;
  failures = 0;
  stutters = 0;
  /** Plays that needed a network lookup (neither cached nor prefetched), and those that found no peer. */
  lookups = 0;
  lookupsWithoutPeers = 0;
  /**
   * Plays of the track prefetched for them: `predictable` × plays when every play follows a track
   * that reached its prefetch point. Fewer when the previous track was skipped before it, or (with
   * `listen: none`) when the next play can come before it: no prefetch, so the play is looked up.
   */
  prefetchedPlays = 0;
  /** Plays the listener abandoned before the track's end (`skip`). */
  skips = 0;
  cacheBytes = 0;
  peerBytes = 0;
  serverBytes = 0;
  playbackStart = new LatencyHistogram();
  /** Optional: route server requests through a CDN (see {@link ServerFetch}). */
  serverFetch: ServerFetch | undefined;
  /** Seconds of server unavailability when no CDN is attached (faults): true = down. */
  serverDown = false;

  private readonly cache: LruCache;
  private readonly items: number;
  private readonly rng: Rng;
  private readonly peers: PeerFinder;
  private readonly taste: Taste;
  private readonly searchTime: () => number;
  private readonly serverTime: () => number;
  private readonly localTime: () => number;
  private readonly startTime: () => number;
  private readonly listening: Listening | undefined;
  /** Per client, when its current track stops playing (`listen: track`). */
  private readonly heardUntil: Float64Array | undefined;
  // Per client: the prefetched next track and where its bytes came from.
  private readonly predItem: Float64Array;
  private readonly predPeer: Float64Array;
  private readonly predServer: Float64Array;
  private readonly predCache: Float64Array;
  // Per play being started (request to playback start): one row of PLAY_FIELDS numbers per slot, so
  // the fields a handler reads share a cache line.
  private play: Float64Array;
  private free: Int32Array;
  private top = 0;
  private used = 0;
  private readonly hServer: number;
  private readonly hStart: number;
  private readonly hPrefetch: number;

  constructor(
    private readonly kernel: Kernel,
    private readonly o: P2pOptions,
    private readonly catalog: Catalog,
    rng: (stream: string) => Rng,
    private readonly done: P2pDone,
  ) {
    const clients = o.clients;
    this.clients = clients;
    this.items = catalog.items;
    this.rng = rng('p2p:choice');
    this.peers = new PeerFinder(o, catalog, this.rng);
    this.taste = new Taste(catalog, clients, o.favourites, o.replay, rng('p2p:taste'));
    this.searchTime = sampler(o.search, rng('p2p:search'));
    this.serverTime = sampler(o.server, rng('p2p:server'));
    this.localTime = sampler(o.local, rng('p2p:local'));
    this.startTime = sampler(o.start, rng('p2p:start'));
    if (o.skip.end > 0) this.listening = new Listening(o.skip, rng('p2p:skip'));
    if (o.listen === 'track') this.heardUntil = new Float64Array(clients);
    // Warm caches start near their steady-state count: presizing avoids regrowing (and rehashing)
    // the columns several times while they fill.
    const cacheItems = o.cache / catalog.meanSize();
    const perClient = Math.min(this.items, Math.ceil(cacheItems * 1.125) + 8);
    const initial = o.warm ? Math.max(4096, Math.min(1 << 24, clients * perClient)) : 4096;
    this.cache = new LruCache(o.cache, { partitions: clients, initial });
    this.predItem = new Float64Array(clients).fill(-1);
    this.predPeer = new Float64Array(clients);
    this.predServer = new Float64Array(clients);
    this.predCache = new Float64Array(clients);
    const n = 256;
    this.play = new Float64Array(n * PLAY_FIELDS);
    this.free = new Int32Array(n);
    this.hServer = kernel.on((s) => this.serverAnswered(s, !this.serverDown));
    this.hStart = kernel.on((s) => this.started(s));
    this.hPrefetch = kernel.on((c) => this.prefetched(c));
    if (o.warm) warmCaches(this.cache, catalog, this.taste, clients, o.cache);
  }

  /** Probability that one client's cache holds `item` (Che occupancy). */
  occupancy(item: number): number {
    return this.peers.occupancy(item);
  }

  /** Plays a track for `user` (any non-negative id; mapped onto a simulated client). */
  request(token: number, user = -1): void {
    const c = user >= 0 ? user % this.clients : Math.floor(this.rng() * this.clients);
    const s = this.alloc(token, c);
    const pred = this.predItem[c];
    this.predItem[c] = -1;
    if (pred >= 0 && this.rng() < this.o.predictable) {
      // The track the client prefetched: its bytes count where they were fetched from.
      this.prefetchedPlays++;
      this.play[s * PLAY_FIELDS + ITEM] = pred;
      const heard = this.heard(s, pred);
      this.cacheBytes += this.predCache[c] * heard;
      this.peerBytes += this.predPeer[c] * heard;
      this.serverBytes += this.predServer[c] * heard;
      this.kernel.schedule(this.localTime() + this.startTime(), this.hStart, s);
      return;
    }
    const item = this.taste.next(c);
    this.play[s * PLAY_FIELDS + ITEM] = item;
    const size = this.catalog.size(item);
    const heard = this.heard(s, item);
    if (this.cache.lookup(c * this.items + item, this.kernel.now)) {
      this.cacheBytes += size * heard;
      this.kernel.schedule(this.localTime() + this.startTime(), this.hStart, s);
      return;
    }
    this.lookups++;
    const row = s * PLAY_FIELDS;
    const search = this.searchTime();
    const found = this.peers.find(c, item, true, search);
    if (found.peers === 0) this.lookupsWithoutPeers++;
    this.play[row + PEERS] = found.peers;
    this.play[row + RATE] = found.rate;
    this.play[row + SEARCH] = search;
    if (this.serverFetch) this.serverFetch(s, item);
    else this.kernel.schedule(this.serverTime(), this.hServer, s);
  }

  /**
   * The server's first bytes for play `slot` arrived (ok) or the server failed (ok false). Decides
   * the byte split and when playback starts.
   */
  serverAnswered(slot: number, ok: boolean): void {
    const play = this.play;
    const row = slot * PLAY_FIELDS;
    const c = play[row + CLIENT];
    const item = play[row + ITEM];
    const size = this.catalog.size(item);
    const b = this.o.bitrate;
    const elapsed = this.kernel.now - play[row + START];
    const peers = play[row + PEERS];
    const rate = play[row + RATE];
    const ts = play[row + SEARCH];
    const duration = size / b;
    // Only what is heard is data played: all of it unless the listener skips at `listened`.
    const listened = play[row + LISTEN];
    const played = size * (listened / duration);
    if (!ok) {
      if (peers === 0) {
        this.failures++;
        const token = play[row + TOKEN];
        this.release(slot);
        this.done(token, false);
        return;
      }
      // Peers only: playback waits for the search and the first chunk from them.
      this.peerBytes += played;
      if (rate < b) this.stutters++;
      const at = Math.max(elapsed, ts) + this.o.startBytes / rate;
      this.cache.admit(c * this.items + item, size, this.kernel.now, c);
      this.kernel.schedule(at - elapsed + this.startTime(), this.hStart, slot);
      return;
    }
    const latency = elapsed + this.o.startBytes / this.o.serverRate;
    if (this.o.serverRate < b) this.stutters++;
    if (peers === 0) {
      this.serverBytes += played;
    } else {
      // Position at the moment peers are known; the server is then throttled serverHead seconds ahead.
      const pos = Math.max(0, ts - latency);
      const head = Math.min(duration, pos + this.o.serverHead);
      const rest = (duration - head) * b;
      let fromPeers = rest;
      if (rate < b && rest > 0) {
        const drainUntil = Math.max(0, (head - pos - this.o.urgent) / (1 - rate / b));
        fromPeers = Math.min(rest, rate * drainUntil);
      }
      // Peers' bytes come first after the head, the server's urgent ones after them.
      const heardFromPeers = Math.min(fromPeers, (listened - head) * b);
      this.peerBytes += Math.max(0, heardFromPeers);
      this.serverBytes += played - Math.max(0, heardFromPeers);
    }
    this.cache.admit(c * this.items + item, size, this.kernel.now, c);
    this.kernel.schedule(latency - elapsed + this.startTime(), this.hStart, slot);
  }

  /** Forgets counters (end of warm-up); caches stay. */
  resetStats(): void {
    this.plays = 0;
    this.failures = 0;
    this.stutters = 0;
    this.lookups = 0;
    this.lookupsWithoutPeers = 0;
    this.prefetchedPlays = 0;
    this.skips = 0;
    this.cacheBytes = 0;
    this.peerBytes = 0;
    this.serverBytes = 0;
    this.playbackStart = new LatencyHistogram();
  }

  /** The `p2p` section of the RunResult. */
  result(): P2pResult {
    const total = this.cacheBytes + this.peerBytes + this.serverBytes;
    const share = (x: number) => (total > 0 ? Math.round((x / total) * 1e6) / 1e6 : 0);
    return {
      serverShare: share(this.serverBytes),
      peerShare: share(this.peerBytes),
      cacheShare: share(this.cacheBytes),
      playbackStart: this.playbackStart.summary(),
      stutterRate: ratio6(this.stutters, this.plays),
      plays: this.plays,
      lookupShare: ratio6(this.lookups, this.plays + this.failures),
      noPeerShare: ratio6(this.lookupsWithoutPeers, this.lookups),
    };
  }

  private started(slot: number): void {
    const row = slot * PLAY_FIELDS;
    const token = this.play[row + TOKEN];
    const c = this.play[row + CLIENT];
    this.plays++;
    this.playbackStart.record(this.kernel.now - this.play[row + START]);
    const duration = this.catalog.size(this.play[row + ITEM]) / this.o.bitrate;
    const listened = this.play[row + LISTEN];
    if (listened < duration) this.skips++;
    if (this.heardUntil) this.heardUntil[c] = this.kernel.now + listened;
    // The prefetch needs only the client, so the slot is free from here: slots then cover plays
    // being started (well under a second) rather than whole tracks, and stay few and cache-hot.
    this.release(slot);
    // A track skipped before its prefetch point never fetches the next one.
    if (listened >= duration - this.o.prefetch)
      this.kernel.schedule(Math.max(0, duration - this.o.prefetch), this.hPrefetch, c);
    this.done(token, true);
  }

  /**
   * When `user`'s current track stops playing (to its end, or where they skip it); 0 unless the
   * scenario says `listen: track`. The closed loop starts their next play from here.
   */
  listeningUntil(user: number): number {
    return this.heardUntil ? this.heardUntil[user % this.clients] : 0;
  }

  /**
   * Draws how long play `slot` of `item` is heard, keeps it in the slot and returns the share of
   * the track heard (1 when it plays to its end).
   */
  private heard(slot: number, item: number): number {
    const duration = this.catalog.size(item) / this.o.bitrate;
    const listened = this.listening ? this.listening.time(duration) : duration;
    this.play[slot * PLAY_FIELDS + LISTEN] = listened;
    return listened / duration;
  }

  /** Near the end of client `c`'s track: fetch the next one (peers if found, else the server). */
  private prefetched(c: number): void {
    const next = this.taste.next(c);
    const size = this.catalog.size(next);
    this.predItem[c] = next;
    this.predCache[c] = 0;
    this.predPeer[c] = 0;
    this.predServer[c] = 0;
    const key = c * this.items + next;
    if (this.cache.lookup(key, this.kernel.now)) {
      this.predCache[c] = size;
      return;
    }
    if (this.peers.find(c, next, false).peers > 0) this.predPeer[c] = size;
    else this.predServer[c] = size;
    this.cache.admit(key, size, this.kernel.now, c);
  }

  private alloc(token: number, client: number): number {
    let s: number;
    if (this.top > 0) s = this.free[--this.top];
    else {
      if (this.used * PLAY_FIELDS === this.play.length) this.grow(this.used * 2);
      s = this.used++;
    }
    const play = this.play;
    const row = s * PLAY_FIELDS;
    play[row + TOKEN] = token;
    play[row + CLIENT] = client | 0; // as the former Int32Array column stored it
    play[row + START] = this.kernel.now;
    play[row + PEERS] = 0;
    play[row + RATE] = 0;
    play[row + SEARCH] = 0;
    return s;
  }

  private release(s: number): void {
    this.free[this.top++] = s;
  }

  private grow(n: number): void {
    const play = new Float64Array(n * PLAY_FIELDS);
    play.set(this.play);
    this.play = play;
    const free = new Int32Array(n);
    free.set(this.free);
    this.free = free;
  }
}

/** a / b rounded to 6 decimals, 0 when b is 0. */
export function ratio6(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 1e6) / 1e6 : 0;
}
