/**
 * Dashboard views for tests: a small healthy run and a crowded one with every section present.
 */
import type { DashboardView, JourneyView } from '../../cli/dashboard/view.js';

/** A journey row with a short history. */
export function journey(name: string, over: Partial<JourneyView> = {}): JourneyView {
  return {
    name,
    throughput: 3.2,
    p50: 1360.9,
    p99: 7323.6,
    errorRate: 0.005,
    count: 46_552,
    budget: 'none',
    breaches: [],
    history: {
      throughput: [3.1, 3.2, 3.3, 3.2],
      p99: [6000, 7000, 7400, 7323.6],
      errors: [0, 0, 0.01, 0.005],
    },
    ...over,
  };
}

/** One journey, one service, mid-run. */
export function smallView(over: Partial<DashboardView> = {}): DashboardView {
  return {
    scenario: 'mmc',
    seed: 7,
    replication: 1,
    replications: 5,
    time: 8400,
    duration: 20_000,
    events: 1_234_567,
    eventsPerSec: 2_500_000,
    status: 'running',
    journeys: [journey('req')],
    budgets: [],
    services: [{ name: 'server', replicas: 4, utilization: 0.801, queue: 2.52, breaker: 'open' }],
    faults: [],
    ...over,
  };
}

/** Many journeys and services, content figures and faults: everything competes for 24 rows. */
export function crowdedView(): DashboardView {
  const journeys = Array.from({ length: 9 }, (_, i) =>
    journey(`journey-with-a-long-name-${i}`, {
      budget: i === 0 ? 'fail' : 'pass',
      breaches: i === 0 ? ['x.p99 < 1ms'] : [],
    }),
  );
  const services = Array.from({ length: 12 }, (_, i) => ({
    name: `service-number-${i}-with-long-name`,
    replicas: 16 + i,
    utilization: i / 12,
    queue: i * 1000.5,
    breaker: i % 3 === 0 ? 'half-open' : undefined,
  }));
  return smallView({
    journeys,
    services,
    content: { cdnHitRatio: 0.934, p2p: { server: 0.12, peer: 0.71, cache: 0.17 }, streamLag: 1.25 },
    faults: [
      { at: 180, for: 60, label: 'slow auth +200ms' },
      { at: 240, for: 120, label: 'crash stores.playlists ×2' },
      { at: 360, for: 30, label: 'outage us-east' },
    ],
    time: 250,
  });
}
