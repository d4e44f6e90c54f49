/**
 * The content sections of a RunResult (CDN, P2P, stores, streams): what one replication measured,
 * and how replications pool into one answer. Kept apart from the models so `run.ts` can pool
 * without knowing how content is simulated.
 */
import { ci95 } from '../../results/confidence.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type {
  CdnEdgeResult,
  Interval,
  P2pResult,
  RunResult,
  StoreResult,
  StreamResult,
} from '../../results/run-result.js';
import { ratio6 } from './p2p.js';
import { storeResult } from './store.js';

/** The content sections of a RunResult, as the content models fill them. */
export type ContentResults = Pick<RunResult, 'cdn' | 'p2p' | 'stores' | 'streams'>;

/** What one replication's content measured, with histograms kept so replications pool exactly. */
export interface ContentRaw {
  results: ContentResults;
  playback?: LatencyHistogram;
  stores: Record<string, LatencyHistogram>;
  /** Byte totals behind the P2P shares, and the counts behind its other ratios. */
  bytes?: P2pCounts;
}

/** What one replication's P2P model counted. */
export interface P2pCounts {
  cache: number;
  peer: number;
  server: number;
  stutters: number;
  lookups: number;
  lookupsWithoutPeers: number;
  failures: number;
}

/** Pools replications' content results: counts add, ratios and shares are recomputed, histograms merge. */
export function combineContent(raws: ContentRaw[]): ContentResults {
  if (raws.length === 0) return {};
  if (raws.length === 1) return raws[0].results;
  const out: ContentResults = {};
  const first = raws[0].results;
  if (first.cdn) {
    const cdn: Record<string, CdnEdgeResult> = {};
    for (const name of Object.keys(first.cdn)) {
      const rows = raws.map((r) => r.results.cdn?.[name]).filter((x): x is CdnEdgeResult => x !== undefined);
      const requests = sum(rows.map((r) => r.requests));
      const hits = sum(rows.map((r) => r.hits));
      cdn[name] = {
        requests,
        hits,
        hitRatio: ratio6(hits, requests),
        // Bytes are not kept per edge: the replications' byte hit ratios weighted by requests.
        byteHitRatio: ratio6(sum(rows.map((r) => r.byteHitRatio * r.requests)), requests),
        originFetches: sum(rows.map((r) => r.originFetches)),
        coalesced: sum(rows.map((r) => r.coalesced)),
      };
    }
    out.cdn = cdn;
  }
  if (first.p2p) out.p2p = combineP2p(raws);
  if (first.stores) {
    const stores: Record<string, StoreResult> = {};
    for (const name of Object.keys(first.stores)) {
      const rows = raws.map((r) => r.results.stores?.[name]).filter((x): x is StoreResult => x !== undefined);
      const load = rows[0].load.map((_, i) => sum(rows.map((r) => r.load[i])));
      const hist = new LatencyHistogram();
      for (const r of raws) if (r.stores[name]) hist.merge(r.stores[name]);
      stores[name] = storeResult(load, sum(rows.map((r) => r.unavailable)), hist.summary(), rows[0].regions);
    }
    out.stores = stores;
  }
  if (first.streams) {
    const streams: Record<string, StreamResult> = {};
    for (const name of Object.keys(first.streams)) {
      const rows = raws
        .map((r) => r.results.streams?.[name])
        .filter((x): x is StreamResult => x !== undefined);
      const mean = (f: (r: StreamResult) => number) =>
        Math.round((sum(rows.map(f)) / rows.length) * 1e6) / 1e6;
      const max = (f: (r: StreamResult) => number) => Math.max(...rows.map(f));
      streams[name] = {
        produced: sum(rows.map((r) => r.produced)),
        consumed: sum(rows.map((r) => r.consumed)),
        // Lag distributions are per replication; their means are averaged, p99 and max are the worst.
        lagMessages: {
          mean: mean((r) => r.lagMessages.mean),
          p99: max((r) => r.lagMessages.p99),
          max: max((r) => r.lagMessages.max),
        },
        lagSeconds: {
          mean: mean((r) => r.lagSeconds.mean),
          p99: max((r) => r.lagSeconds.p99),
          max: max((r) => r.lagSeconds.max),
        },
      };
    }
    out.streams = streams;
  }
  return out;
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** Pools the P2P sections: byte and play counts add; intervals come from the replications' own values. */
function combineP2p(raws: ContentRaw[]): P2pResult {
  const zero: P2pCounts = {
    cache: 0,
    peer: 0,
    server: 0,
    stutters: 0,
    lookups: 0,
    lookupsWithoutPeers: 0,
    failures: 0,
  };
  const b = raws.map((r) => r.bytes ?? zero);
  const total = (f: (x: P2pCounts) => number) => sum(b.map(f));
  const bytes = total((x) => x.cache + x.peer + x.server);
  const plays = sum(raws.map((r) => r.results.p2p?.plays ?? 0));
  const hist = new LatencyHistogram();
  for (const r of raws) if (r.playback) hist.merge(r.playback);
  const out: P2pResult = {
    serverShare: ratio6(
      total((x) => x.server),
      bytes,
    ),
    peerShare: ratio6(
      total((x) => x.peer),
      bytes,
    ),
    cacheShare: ratio6(
      total((x) => x.cache),
      bytes,
    ),
    playbackStart: hist.summary(),
    stutterRate: ratio6(
      total((x) => x.stutters),
      plays,
    ),
    plays,
    lookupShare: ratio6(
      total((x) => x.lookups),
      plays + total((x) => x.failures),
    ),
    noPeerShare: ratio6(
      total((x) => x.lookupsWithoutPeers),
      total((x) => x.lookups),
    ),
  };
  const per = raws.map((r) => r.results.p2p).filter((x): x is P2pResult => x !== undefined);
  const ci = (f: (r: P2pResult) => number): Interval | undefined => {
    const c = ci95(per.map(f));
    return c ? [round6(c[0]), round6(c[1])] : undefined;
  };
  const server = ci((r) => r.serverShare);
  if (server) {
    out.ci = {
      serverShare: server,
      peerShare: ci((r) => r.peerShare) as Interval,
      cacheShare: ci((r) => r.cacheShare) as Interval,
      playbackStartP50: ci((r) => r.playbackStart.p50) as Interval,
      stutterRate: ci((r) => r.stutterRate) as Interval,
    };
  }
  return out;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
