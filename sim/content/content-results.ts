/**
 * The content sections of a RunResult (CDN, P2P, stores, streams): what one replication measured,
 * and how replications pool into one answer. Kept apart from the models so `run.ts` can pool
 * without knowing how content is simulated.
 */
import { LatencyHistogram } from '../../results/histogram.js';
import type { CdnEdgeResult, RunResult, StoreResult, StreamResult } from '../../results/run-result.js';
import { storeResult } from './store.js';

/** The content sections of a RunResult, as the content models fill them. */
export type ContentResults = Pick<RunResult, 'cdn' | 'p2p' | 'stores' | 'streams'>;

/** What one replication's content measured, with histograms kept so replications pool exactly. */
export interface ContentRaw {
  results: ContentResults;
  playback?: LatencyHistogram;
  stores: Record<string, LatencyHistogram>;
  /** Byte totals behind the P2P shares. */
  bytes?: { cache: number; peer: number; server: number; stutters: number };
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
  if (first.p2p) {
    const b = raws.map((r) => r.bytes ?? { cache: 0, peer: 0, server: 0, stutters: 0 });
    const cache = sum(b.map((x) => x.cache));
    const peer = sum(b.map((x) => x.peer));
    const server = sum(b.map((x) => x.server));
    const total = cache + peer + server;
    const plays = sum(raws.map((r) => r.results.p2p?.plays ?? 0));
    const hist = new LatencyHistogram();
    for (const r of raws) if (r.playback) hist.merge(r.playback);
    out.p2p = {
      serverShare: ratio6(server, total),
      peerShare: ratio6(peer, total),
      cacheShare: ratio6(cache, total),
      playbackStart: hist.summary(),
      stutterRate: ratio6(sum(b.map((x) => x.stutters)), plays),
      plays,
    };
  }
  if (first.stores) {
    const stores: Record<string, StoreResult> = {};
    for (const name of Object.keys(first.stores)) {
      const rows = raws.map((r) => r.results.stores?.[name]).filter((x): x is StoreResult => x !== undefined);
      const load = rows[0].load.map((_, i) => sum(rows.map((r) => r.load[i])));
      const hist = new LatencyHistogram();
      for (const r of raws) if (r.stores[name]) hist.merge(r.stores[name]);
      stores[name] = storeResult(load, sum(rows.map((r) => r.unavailable)), hist.summary());
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

function ratio6(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 1e6) / 1e6 : 0;
}
