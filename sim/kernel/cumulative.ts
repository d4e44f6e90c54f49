/**
 * Cumulative shares, the table a weighted pick walks: one uniform draw against it picks an index
 * in proportion to its weight.
 */

/**
 * The running sums of `xs` divided by their total (the last one ≈ 1); all-zero weights
 * divide by 1 instead, leaving zeros rather than NaN.
 */
export function cumulative(xs: number[]): Float64Array {
  const total = xs.reduce((a, b) => a + b, 0) || 1;
  const out = new Float64Array(xs.length);
  let acc = 0;
  xs.forEach((x, i) => {
    acc += x / total;
    out[i] = acc;
  });
  return out;
}
