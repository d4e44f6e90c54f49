/**
 * The smallest and largest of many numbers by a loop: `Math.min(...values)` passes every value as
 * an argument and overflows the stack past about 10^5 of them (10 k services × a timeline).
 */

/** `[min, max]` of `values`; `[Infinity, -Infinity]` when empty, as `Math.min()`/`Math.max()`. */
export function extentOf(values: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
