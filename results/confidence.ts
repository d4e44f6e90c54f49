/**
 * Confidence intervals over independent replications (Student t, two-sided 95 %).
 */

// t(0.975, df) for df = 1..30; beyond 30 a Cornish-Fisher expansion is within 1e-4.
const T975 = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604,
  2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555,
  2.0518, 2.0484, 2.0452, 2.0423,
];

/** The 97.5 % quantile of Student's t with `df` degrees of freedom. */
export function t975(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return T975[Math.floor(df) - 1];
  const z = 1.959963984540054;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  return z + g1 / df + g2 / df ** 2;
}

/** Sample mean and unbiased variance. */
export function meanVar(xs: readonly number[]): { mean: number; variance: number } {
  const n = xs.length;
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return { mean: m, variance: n > 1 ? v / (n - 1) : 0 };
}

/**
 * 95 % confidence interval `[low, high]` for the mean of independent observations
 * (one per replication). Undefined for fewer than two.
 */
export function ci95(xs: readonly number[]): [number, number] | undefined {
  if (xs.length < 2) return undefined;
  const { mean, variance } = meanVar(xs);
  const half = t975(xs.length - 1) * Math.sqrt(variance / xs.length);
  return [mean - half, mean + half];
}
