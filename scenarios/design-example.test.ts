/**
 * The scenario of the design document (`test/fixtures/scenarios/design-example.yaml`): every section read into base units.
 */
import { describe, expect, it } from 'vitest';
import { evaluateBudgets } from '../results/budgets.js';
import type { RunResult } from '../results/run-result.js';
import { capacityWarnings } from './capacity.js';
import { loadScenario } from './load.js';

const DESIGN = 'test/fixtures/scenarios/design-example.yaml';

describe('the DESIGN.md example', () => {
  const s = loadScenario(DESIGN);

  it('loads with regions, latency pairs and the catalog resolved', () => {
    expect(s.name).toBe('spotify-evening-peak');
    expect([s.duration, s.warmup, s.replications, s.seed]).toEqual([600, 60, 3, 2026]);
    expect(s.regions).toEqual({ 'eu-west': { users: 0.6 }, 'us-east': { users: 0.4 } });
    expect(s.latency).toEqual({
      intra: 0.0005,
      jitter: 0,
      pairs: [{ a: 'eu-west', b: 'us-east', oneWay: 0.038 }],
    });
    expect(s.catalog?.items).toBe(10_000_000);
    expect(s.catalog?.popularity).toEqual({ kind: 'zipf', s: 1, n: 10_000_000 });
    expect(s.users.population).toBe(2_000_000);
    expect(s.users.arrivals).toEqual({ kind: 'poisson', rate: 3000 });
  });

  it('reads services with routes, fan-out, resilience and autoscaling', () => {
    const g = s.services.gateway;
    expect(g.regions).toEqual(['eu-west', 'us-east']);
    expect([g.replicas, g.workers, g.queue, g.balance, g.timeout]).toEqual([6, 64, 1000, 'p2c', 2]);
    expect(g.routes.play).toEqual([
      { call: 'auth.check', p: 1 },
      {
        parallel: [
          { call: 'metadata.track', p: 1 },
          { call: 'license.check', p: 1 },
        ],
      },
    ]);
    expect(g.autoscale).toEqual({ min: 4, max: 40, target: 0.65, every: 15, provision: 30, cooldown: 0 });
    expect(s.services.auth.retry).toEqual({ attempts: 2, backoff: 0.01, jitter: 'full' });
    expect(s.services.auth.breaker).toEqual({
      failures: 0.5,
      window: 10,
      open: 5,
      minRequests: 20,
      probes: 1,
    });
  });

  it('reads stores, the CDN, P2P and streams in base units', () => {
    expect(s.stores.playlists).toMatchObject({
      shards: 24,
      vnodes: 64,
      replication: 3,
      consistency: 'quorum',
      key: 'user',
    });
    expect(s.cdn?.edges['eu-west']).toEqual({
      capacity: 2e12,
      policy: 'lru',
      time: { kind: 'const', value: 0.003 },
    });
    expect(s.cdn?.origin.time).toEqual({ kind: 'const', value: 0.04 });
    expect(s.p2p).toMatchObject({
      online: 0.3,
      serverHead: 15,
      prefetch: 30,
      maxPeers: 10,
      cache: 1e9,
      bitrate: 20_000,
      uplink: 50_000,
      // The behaviours added for the 2010 paper are off unless named.
      replay: 0,
      nat: 0,
      neighbours: 0,
      trackerMemory: 0,
      start: { kind: 'const', value: 0 },
    });
    expect(s.streams.plays).toEqual({
      partitions: 32,
      produce: 'gateway.play',
      key: 'user',
      consume: { instances: 8, time: { kind: 'exp', mean: 0.002 } },
      rebalance: 5,
    });
  });

  it('turns the fault map form into kinds', () => {
    expect(s.faults).toEqual([
      { at: 240, for: 120, kind: 'crash', target: 'stores.playlists', count: 2 },
      { at: 360, for: 30, kind: 'outage', region: 'us-east' },
      { at: 180, for: 60, kind: 'slow', target: 'auth', add: 0.2 },
      { at: 480, for: 60, kind: 'errors', target: 'license', rate: 0.2 },
    ]);
  });

  it('turns budgets into comparisons in the metric unit, with their positions', () => {
    expect(s.budgets).toEqual([
      {
        expr: 'play.p99 < 400ms',
        kind: 'journey',
        subject: 'play',
        metric: 'p99',
        op: '<',
        limit: 400,
        line: 64,
        col: 3,
      },
      {
        expr: 'play.errors < 0.5%',
        kind: 'journey',
        subject: 'play',
        metric: 'errors',
        op: '<',
        limit: 0.005,
        line: 65,
        col: 3,
      },
      {
        expr: 'plays.lag.p99 < 5s',
        kind: 'stream',
        subject: 'plays',
        metric: 'lag.p99',
        op: '<',
        limit: 5,
        line: 66,
        col: 3,
      },
      {
        expr: 'p2p.server_share < 15%',
        kind: 'p2p',
        subject: 'p2p',
        metric: 'server_share',
        op: '<',
        limit: 0.15,
        line: 67,
        col: 3,
      },
    ]);
  });

  it('hands budgets to results/budgets as they are', () => {
    const latency = { mean: 90, p50: 80, p90: 150, p95: 200, p99: 350, p999: 500, max: 700 };
    const r: RunResult = {
      version: 1,
      kind: 'sim',
      scenario: { name: s.name, hash: '0' },
      window: { start: 60, end: 600 },
      journeys: {
        play: {
          count: 1000,
          errors: {},
          errorRate: 0.001,
          throughput: 2100,
          latency,
          hdr: '',
          sumSeconds: 90,
        },
      },
      streams: {
        plays: {
          produced: 1,
          consumed: 1,
          lagMessages: { mean: 0, p99: 0, max: 0 },
          lagSeconds: { mean: 1, p99: 2, max: 3 },
        },
      },
      budgets: [],
    };
    expect(evaluateBudgets(r, s.budgets).map((b) => [b.expr, b.value, b.pass])).toEqual([
      ['play.p99 < 400ms', 350, true],
      ['play.errors < 0.5%', 0.001, true],
      ['plays.lag.p99 < 5s', 2, true],
      ['p2p.server_share < 15% (no p2p section in the result)', Number.NaN, false],
    ]);
  });

  it('reads the load section: profile stages and request lines', () => {
    expect(s.load).toEqual({
      target: 'http://127.0.0.1:8080',
      allow: ['127.0.0.1', 'localhost'],
      tool: 'autocannon',
      connections: 50,
      maxRequests: 1_000_000,
      maxDuration: 600,
      profile: [
        { kind: 'ramp', from: 0, to: 500, over: 60 },
        { kind: 'hold', rate: 500, for: 300 },
      ],
      feeds: {},
      // A request line is a one-step flow named after its method and path prefix.
      requests: {
        play: [
          {
            kind: 'request',
            name: 'get /v1/tracks',
            method: 'GET',
            path: '/v1/tracks/{{catalog.item}}/play',
            headers: {},
            capture: [],
            check: [],
          },
        ],
        search: [
          {
            kind: 'request',
            name: 'get /v1/search',
            method: 'GET',
            path: '/v1/search?q={{faker.music.songName}}',
            headers: {},
            capture: [],
            check: [],
          },
        ],
      },
    });
  });

  it('has no capacity warnings at its numbers', () => {
    expect(capacityWarnings(s)).toEqual([]);
  });
});
