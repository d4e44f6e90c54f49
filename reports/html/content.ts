/**
 * The content sections of the report: CDN edges, P2P byte sources, store shards and event stream
 * lag, each a table and a chart, each present only when the result has that section.
 */
import type { RunResult, StoreResult } from '../../results/run-result.js';
import { barChart, fmt } from '../charts.js';
import { escapeHtml as esc } from '../escape.js';

/** CDN, P2P, stores and streams panels (empty when the result has no content). */
export function contentSection(r: RunResult): string {
  const out: string[] = [];
  const edges = Object.entries(r.cdn ?? {});
  if (edges.length > 0) {
    const rows = edges
      .map(
        ([name, e]) =>
          `<tr><td>${esc(name)}</td><td>${esc((e.requests ?? 0).toLocaleString('en-US'))}</td><td>${esc(fmt(e.hitRatio * 100))} %</td><td>${esc(fmt(e.byteHitRatio * 100))} %</td><td>${esc(e.originFetches)}</td><td>${esc(e.coalesced)}</td></tr>`,
      )
      .join('');
    const chart = barChart({
      title: 'CDN hit ratio per edge',
      xLabel: 'hits (%)',
      max: 100,
      bars: edges.flatMap(([name, e], i) => [
        { label: `${name} requests`, value: e.hitRatio * 100, color: i },
        { label: `${name} bytes`, value: e.byteHitRatio * 100, color: i },
      ]),
      format: (v) => `${fmt(v)} %`,
    });
    out.push(
      `<h2>CDN</h2><table><thead><tr><th>edge</th><th>requests</th><th>hit ratio</th><th>byte hit ratio</th><th>origin fetches</th><th>coalesced</th></tr></thead><tbody>${rows}</tbody></table><div class="grid">${chart}</div>`,
    );
  }
  const p2p = r.p2p;
  if (p2p) {
    const chart = barChart({
      title: 'Where the bytes came from',
      xLabel: 'share of bytes (%)',
      max: 100,
      bars: [
        { label: 'server', value: p2p.serverShare * 100, color: 2 },
        { label: 'peers', value: p2p.peerShare * 100, color: 4 },
        { label: 'local cache', value: p2p.cacheShare * 100, color: 0 },
      ],
      format: (v) => `${fmt(v)} %`,
    });
    const ps = p2p.playbackStart;
    out.push(
      `<h2>P2P streaming</h2><table><thead><tr><th>plays</th><th>server share</th><th>peer share</th><th>cache share</th><th>playback start p50 ms</th><th>p99 ms</th><th>stutter</th></tr></thead><tbody><tr><td>${esc((p2p.plays ?? 0).toLocaleString('en-US'))}</td><td>${esc(fmt(p2p.serverShare * 100))} %</td><td>${esc(fmt(p2p.peerShare * 100))} %</td><td>${esc(fmt(p2p.cacheShare * 100))} %</td><td>${esc(fmt(ps?.p50 ?? Number.NaN))}</td><td>${esc(fmt(ps?.p99 ?? Number.NaN))}</td><td>${esc(fmt((p2p.stutterRate ?? 0) * 100))} %</td></tr></tbody></table><div class="grid">${chart}</div>`,
    );
  }
  const stores = Object.entries(r.stores ?? {});
  if (stores.length > 0) {
    const rows = stores
      .map(
        ([name, s]) =>
          `<tr><td>${esc(name)}</td><td>${esc(s.shards)}</td><td>${esc(fmt(s.cv))}</td><td>${esc(s.unavailable)}</td><td>${esc(fmt(s.latency?.p50 ?? Number.NaN))}</td><td>${esc(fmt(s.latency?.p99 ?? Number.NaN))}</td></tr>`,
      )
      .join('');
    const charts = stores.map(([name, s], i) =>
      barChart({
        title: `Load per shard · ${name}`,
        xLabel: 'requests',
        bars: s.load.map((n, k) => ({ label: nodeLabel(s, k), value: n, color: i })),
      }),
    );
    out.push(
      `<h2>Stores</h2><table><thead><tr><th>store</th><th>shards</th><th>load CV</th><th>unavailable</th><th>p50 ms</th><th>p99 ms</th></tr></thead><tbody>${rows}</tbody></table><div class="grid">${charts.join('')}</div>`,
    );
  }
  const streams = Object.entries(r.streams ?? {});
  if (streams.length > 0) {
    const rows = streams
      .map(
        ([name, s]) =>
          `<tr><td>${esc(name)}</td><td>${esc((s.produced ?? 0).toLocaleString('en-US'))}</td><td>${esc((s.consumed ?? 0).toLocaleString('en-US'))}</td><td>${esc(fmt(s.lagMessages?.p99 ?? Number.NaN))}</td><td>${esc(fmt(s.lagSeconds?.mean ?? Number.NaN))}</td><td>${esc(fmt(s.lagSeconds?.p99 ?? Number.NaN))}</td><td>${esc(fmt(s.lagSeconds?.max ?? Number.NaN))}</td></tr>`,
      )
      .join('');
    const chart = barChart({
      title: 'Consumer lag per stream',
      xLabel: 'seconds',
      bars: streams.flatMap(([name, s], i) => [
        { label: `${name} mean`, value: s.lagSeconds?.mean ?? Number.NaN, color: i },
        { label: `${name} p99`, value: s.lagSeconds?.p99 ?? Number.NaN, color: i },
      ]),
    });
    out.push(
      `<h2>Event streams</h2><table><thead><tr><th>stream</th><th>produced</th><th>consumed</th><th>lag p99 (messages)</th><th>lag mean s</th><th>lag p99 s</th><th>lag max s</th></tr></thead><tbody>${rows}</tbody></table>${chart ? `<div class="grid">${chart}</div>` : ''}`,
    );
  }
  return out.join('\n');
}

/** Node `k` of a store: `shard k`, or `<region> k` region by region when the store lists regions. */
function nodeLabel(s: StoreResult, k: number): string {
  if (!s.regions?.length) return `shard ${k}`;
  const per = s.load.length / s.regions.length;
  return `${s.regions[Math.floor(k / per)]} ${k % per}`;
}
