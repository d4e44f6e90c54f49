/**
 * Calibration from a load RunResult: a journey's request measures the sum of the service times along
 * its chain (`chains.ts`), so a service's own time is identifiable only where the chain isolates it.
 *
 * 1. A journey whose chain is one service with no calls measures that service directly: its latency
 *    (less the network's hop) is fitted as from traces (`fit.ts`: lognormal, or the data's quantiles).
 * 2. The other services keep the scenario's distribution and get a scale factor each, fitted so the
 *    sampled chains reproduce every journey's measured median and p99 (least squares on the logs,
 *    Levenberg–Marquardt). Services that appear in exactly the same journeys cannot be told apart:
 *    they share one factor. When the journeys still do not pin the factors down (the incidence of
 *    factors in journeys is rank-deficient), all of them become one common factor.
 * 3. Services no usable journey reaches are reported as not identifiable.
 *
 * Queueing, retries, timeouts and the load generator's or the twin's own overhead are not modelled:
 * the fit reads them as service time, so measure well below saturation.
 */
import type { DistSpec } from '../../math/dist-spec.js';
import { distQuantile } from '../../math/moments.js';
import { scaleDist } from '../../sim/kernel/distributions.js';
import { type ChainNode, ChainSamples, type ChainScope, journeyChain } from './chains.js';
import { specText } from './dist-text.js';
import { fitServiceTime, fitSpec } from './fit.js';
import { solveFactors } from './least-squares.js';
import type { RunMeasurements } from './run-measurements.js';

/** One service's calibration from journeys. */
export interface LoadServiceCalibration {
  service: string;
  /** `direct`: fitted to a journey that is this service alone; `scaled`: the scenario's shape × factor. */
  method: 'direct' | 'scaled';
  /** The journeys it was calibrated from. */
  from: string[];
  /** Services sharing its factor (itself included), when more than one. */
  together?: string[];
  /** The factor on the scenario's time (`scaled`). */
  factor?: number;
  /** Requests measured by those journeys. */
  n: number;
  fit: 'lognormal' | 'empirical' | 'scaled';
  /** Median and p99 of the calibrated time, seconds. */
  median: number;
  p99: number;
  /** KS distance: of the direct fit to its data, or the worst of its journeys' sampled to measured. */
  ks: number;
  /** The scenario value. */
  time: string;
}

/** How well the calibrated scenario reproduces one journey. */
export interface LoadJourneyFit {
  journey: string;
  n: number;
  source: string;
  measured: { p50: number; p99: number };
  predicted: { p50: number; p99: number };
  ks: number;
}

/** What calibration from a load RunResult found. */
export interface LoadCalibration {
  format: 'load';
  /** Successful requests of the journeys used. */
  requests: number;
  services: LoadServiceCalibration[];
  journeys: LoadJourneyFit[];
  /** Journeys not used, with why. */
  journeysSkipped: { journey: string; reason: string }[];
  /** Services of the scenario not calibrated, with why. */
  skipped: { service: string; reason: string }[];
}

/** Sampled requests per journey: the p99 of 20 000 draws is within about 1.5 % (exponential tail). */
export const CHAIN_SAMPLES = 20_000;

/**
 * Values of an empirical direct fit. A run draws one uniformly, each standing for the 1/K of the data
 * below it, so the drawn times run high by up to a bin; 100 (as from traces) made the `b` + `c` chain
 * of the test fit `b` 4 % low, 1 000 keeps that under 1 %.
 */
export const DIRECT_QUANTILES = 1000;

/** Calibrates the services of `s` from the journeys measured in `m`. */
export function calibrateFromLoad(s: ChainScope, m: RunMeasurements): LoadCalibration {
  const out: LoadCalibration = {
    format: 'load',
    requests: 0,
    services: [],
    journeys: [],
    journeysSkipped: [...m.skipped],
    skipped: [],
  };
  const usable: {
    measure: RunMeasurements['measured'][number];
    nodes: ChainNode[];
    hop: number;
    services: string[];
  }[] = [];
  for (const measure of m.measured) {
    const chain = journeyChain(s, measure.journey);
    if ('reason' in chain) out.journeysSkipped.push({ journey: measure.journey, reason: chain.reason });
    else usable.push({ measure, ...chain });
  }
  // 1. Direct: the journey is one service's own work; the largest such journey wins.
  const times = new Map<string, DistSpec>();
  const direct = new Map<string, LoadServiceCalibration>();
  for (const u of [...usable].sort((a, b) => b.measure.n - a.measure.n)) {
    const only = u.nodes.length === 1 && u.nodes[0].kind === 'visit' && u.nodes[0].calls.length === 0;
    const name = u.services[0];
    if (!only || direct.has(name)) continue;
    const xs = Array.from(u.measure.sample, (x) => x - u.hop).filter((x) => x > 0);
    const fit = fitServiceTime(xs, { quantiles: DIRECT_QUANTILES });
    times.set(name, fitSpec(fit));
    direct.set(name, {
      service: name,
      method: 'direct',
      from: [u.measure.journey],
      n: u.measure.n,
      fit: fit.kind,
      median: fit.median,
      p99: fit.p99,
      ks: fit.ks,
      time: specText(fitSpec(fit)),
    });
  }
  // 2. Factors for the rest, grouped by the journeys they appear in.
  const chained = usable.filter((u) => u.services.some((x) => !direct.has(x)));
  const signature = new Map<string, string[]>();
  for (const svc of new Set(chained.flatMap((u) => u.services)))
    if (!direct.has(svc)) {
      const sig = chained.flatMap((u, i) => (u.services.includes(svc) ? [i] : [])).join(',');
      signature.set(sig, [...(signature.get(sig) ?? []), svc]);
    }
  let groups = [...signature.values()];
  const incidence = chained.map((u) => groups.map((g) => (g.some((x) => u.services.includes(x)) ? 1 : 0)));
  if (rank(incidence) < groups.length) groups = [groups.flat()];
  const groupOf = new Map(groups.flatMap((g, i) => g.map((x) => [x, i] as const)));
  const spec = (x: string): DistSpec => times.get(x) ?? s.services[x].time;
  const samples = usable.map((u, i) => new ChainSamples(u, CHAIN_SAMPLES, spec, 1 + i));
  const factorOf = (theta: readonly number[]) => (x: string) => {
    const g = groupOf.get(x);
    return g === undefined ? 1 : Math.exp(theta[g]);
  };
  const chainedIdx = usable.flatMap((u, i) => (chained.includes(u) ? [i] : []));
  // Residuals in standard errors, so the median (known far better than the p99) weighs more.
  const se = chainedIdx.map((i) => [logSe(usable[i].measure, 0.5), logSe(usable[i].measure, 0.99)]);
  const theta = solveFactors(groups.length, (t) =>
    chainedIdx.flatMap((i, k) => {
      const lat = samples[i].latencies(factorOf(t));
      const meas = usable[i].measure.sample;
      return [
        Math.log(at(lat, 0.5) / at(meas, 0.5)) / se[k][0],
        Math.log(at(lat, 0.99) / at(meas, 0.99)) / se[k][1],
      ];
    }),
  );
  // Goodness of fit per journey, with the final factors.
  const ksOf = new Map<string, number>();
  for (const [i, u] of usable.entries()) {
    const lat = samples[i].latencies(factorOf(theta));
    const ks = ks2(lat, u.measure.sample);
    ksOf.set(u.measure.journey, ks);
    out.requests += u.measure.n;
    out.journeys.push({
      journey: u.measure.journey,
      n: u.measure.n,
      source: u.measure.source,
      measured: { p50: at(u.measure.sample, 0.5), p99: at(u.measure.sample, 0.99) },
      predicted: { p50: at(lat, 0.5), p99: at(lat, 0.99) },
      ks,
    });
  }
  for (const name of Object.keys(s.services)) {
    const d = direct.get(name);
    if (d) {
      out.services.push(d);
      continue;
    }
    const g = groupOf.get(name);
    if (g === undefined) {
      out.skipped.push({ service: name, reason: 'no usable measured journey reaches it: not identifiable' });
      continue;
    }
    const factor = Math.exp(theta[g]);
    const scaled = scaleDist(s.services[name].time, factor);
    const from = chained.filter((u) => u.services.includes(name));
    out.services.push({
      service: name,
      method: 'scaled',
      from: from.map((u) => u.measure.journey),
      ...(groups[g].length > 1 ? { together: groups[g] } : {}),
      factor,
      n: from.reduce((a, u) => a + u.measure.n, 0),
      fit: 'scaled',
      median: distQuantile(scaled, 0.5),
      p99: distQuantile(scaled, 0.99),
      ks: Math.max(...from.map((u) => ksOf.get(u.measure.journey) ?? 0)),
      time: specText(scaled),
    });
  }
  return out;
}

/**
 * Standard error of the log of the measured p-quantile, plus that of the same quantile of
 * {@link CHAIN_SAMPLES} sampled requests: √(p(1−p)(1/n + 1/N)) / (f(q)·q), the density f from the
 * measured quantiles either side.
 */
function logSe(m: { n: number; sample: Float64Array }, p: number): number {
  const d = Math.min(0.02, (1 - p) / 2);
  const q = at(m.sample, p);
  const spread = (at(m.sample, p + d) - at(m.sample, p - d)) / (2 * d);
  const se = (Math.sqrt(p * (1 - p) * (1 / m.n + 1 / CHAIN_SAMPLES)) * spread) / q;
  return Math.max(se, 1e-4);
}

/** The p-quantile of sorted `xs` (linear between order statistics). */
function at(xs: Float64Array, p: number): number {
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(xs.length - 1, lo + 1);
  return xs[lo] + (h - lo) * (xs[hi] - xs[lo]);
}

/** Two-sample Kolmogorov–Smirnov distance of sorted `a` and `b`. */
export function ks2(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i], b[j]);
    while (i < a.length && a[i] <= x) i++;
    while (j < b.length && b[j] <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/** Rank of a small 0/1 matrix (Gaussian elimination). */
export function rank(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    let p = r;
    while (p < m.length && Math.abs(m[p][c]) < 1e-9) p++;
    if (p === m.length) continue;
    [m[r], m[p]] = [m[p], m[r]];
    for (let k = 0; k < m.length; k++)
      if (k !== r) {
        const f = m[k][c] / m[r][c];
        for (let q = c; q < cols; q++) m[k][q] -= f * m[r][q];
      }
    r++;
  }
  return r;
}
