/**
 * Levenberg–Marquardt for a handful of parameters: minimises the sum of squared residuals with a
 * forward-difference Jacobian. Calibration's residuals are log ratios of sampled to measured
 * quantiles, its parameters log scale factors, so every step is on a scale of relative change.
 */

/** Difference step in log space (1 %): wide enough to cross the sampled quantiles' small steps. */
const H = 0.01;

/** Parameters (starting at 0) that minimise ‖residuals(θ)‖². */
export function solveFactors(k: number, residuals: (theta: readonly number[]) => number[]): number[] {
  let theta = new Array<number>(k).fill(0);
  if (k === 0) return theta;
  let r = residuals(theta);
  let cost = sq(r);
  let lambda = 1e-3;
  for (let iter = 0; iter < 60 && cost > 1e-14; iter++) {
    const jac = Array.from({ length: k }, (_, c) => {
      const t = [...theta];
      t[c] += H;
      return residuals(t).map((x, i) => (x - r[i]) / H);
    });
    // Normal equations (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr.
    const a = jac.map((ci) => jac.map((cj) => dot(ci, cj)));
    const g = jac.map((ci) => -dot(ci, r));
    let improved = false;
    for (let tries = 0; tries < 10 && !improved; tries++) {
      const m = a.map((row, i) => row.map((x, j) => (i === j ? x * (1 + lambda) + 1e-12 : x)));
      const delta = solve(m, g);
      const next = theta.map((x, i) => x + delta[i]);
      const rn = residuals(next);
      const cn = sq(rn);
      if (cn < cost) {
        improved = true;
        const step = Math.max(...delta.map(Math.abs));
        theta = next;
        r = rn;
        cost = cn;
        lambda = Math.max(lambda / 3, 1e-9);
        if (step < 1e-6) return theta;
      } else lambda *= 4;
    }
    if (!improved) break;
  }
  return theta;
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i], 0);
const sq = (r: readonly number[]): number => dot(r, r);

/** Solves the small system `a x = b` (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i][c]) > Math.abs(m[p][c])) p = i;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c] || 1e-300;
    for (let i = c + 1; i < n; i++) {
      const f = m[i][c] / d;
      for (let j = c; j <= n; j++) m[i][j] -= f * m[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let j = i + 1; j < n; j++) s -= m[i][j] * x[j];
    x[i] = s / (m[i][i] || 1e-300);
  }
  return x;
}
