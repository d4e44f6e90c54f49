/**
 * Closed forms for caches under the independent reference model (IRM): Che's approximation of LRU
 * (Che, Tung & Wang 2002; Fricker, Robert & Roberts 2012) and the static optimum (the top items).
 *
 * Che: an LRU cache of capacity C behaves as if every item stayed for the same characteristic time
 * T after its last request, T solving Σ_i s_i (1 − e^{−q_i T}) = C (s_i the size, q_i the request
 * probability per request). The hit ratio is then Σ_i q_i (1 − e^{−q_i T}).
 */
import { zipfHarmonic } from '../kernel/zipf.js';

/** Request probabilities of a Zipf(s) law over `n` ranks (rank 1 first). */
export function zipfProbabilities(n: number, s: number): Float64Array {
  const h = zipfHarmonic(n, s);
  const q = new Float64Array(n);
  for (let k = 1; k <= n; k++) q[k - 1] = k ** -s / h;
  return q;
}

/** Che's characteristic time for request probabilities `q`, optional sizes and a capacity. */
export function cheTime(q: ArrayLike<number>, capacity: number, sizes?: ArrayLike<number>): number {
  const occupied = (t: number) => {
    let sum = 0;
    for (let i = 0; i < q.length; i++) sum += (sizes ? sizes[i] : 1) * -Math.expm1(-q[i] * t);
    return sum;
  };
  let total = 0;
  for (let i = 0; i < q.length; i++) total += sizes ? sizes[i] : 1;
  if (capacity >= total) return Number.POSITIVE_INFINITY;
  let lo = 0;
  let hi = 1;
  while (occupied(hi) < capacity) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (occupied(mid) < capacity) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** LRU hit ratios by requests and by bytes according to Che's approximation. */
export function cheHitRatio(
  q: ArrayLike<number>,
  capacity: number,
  sizes?: ArrayLike<number>,
): { time: number; hitRatio: number; byteHitRatio: number } {
  const t = cheTime(q, capacity, sizes);
  let hit = 0;
  let bytes = 0;
  let byteHit = 0;
  for (let i = 0; i < q.length; i++) {
    const p = Number.isFinite(t) ? -Math.expm1(-q[i] * t) : 1;
    const s = sizes ? sizes[i] : 1;
    hit += q[i] * p;
    bytes += q[i] * s;
    byteHit += q[i] * s * p;
  }
  return { time: t, hitRatio: hit, byteHitRatio: bytes > 0 ? byteHit / bytes : 0 };
}

/** Hit ratio of the static optimum for equal sizes: the `capacity` most popular items pinned. */
export function staticZipfHitRatio(n: number, s: number, capacity: number): number {
  if (capacity >= n) return 1;
  return zipfHarmonic(Math.floor(capacity), s) / zipfHarmonic(n, s);
}

/**
 * Che's characteristic time for a Zipf(s) law over `n` equal-size items and a capacity of `capacity`
 * items, for catalogs too large to sum term by term (10 M items): the first 4096 ranks are summed,
 * the rest in geometric blocks of 0.2 % width evaluated at their midpoint (the summand is smooth and
 * monotone there, so the error is far below the model's own).
 */
export function zipfCheTime(n: number, s: number, capacity: number): number {
  if (capacity >= n) return Number.POSITIVE_INFINITY;
  const h = zipfHarmonic(n, s);
  const occupied = (t: number) => {
    let sum = 0;
    const direct = Math.min(n, 4096);
    for (let k = 1; k <= direct; k++) sum += -Math.expm1(-(k ** -s / h) * t);
    let a = direct + 1;
    while (a <= n) {
      const b = Math.min(n, Math.max(a, Math.floor(a * 1.002)));
      const mid = (a + b) / 2;
      sum += (b - a + 1) * -Math.expm1(-(mid ** -s / h) * t);
      a = b + 1;
    }
    return sum;
  };
  let lo = 0;
  let hi = 1;
  while (occupied(hi) < capacity) hi *= 2;
  for (let i = 0; i < 100 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (occupied(mid) < capacity) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
