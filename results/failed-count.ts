/**
 * The failed requests or journeys of a result row: the sum of its errors by cause. Percentiles
 * describe the rest (the successful ones), so a verdict or a merge needs this count first.
 */

/** Sum of `errors` by cause (0 when there are none). */
export function failedCount(row: { errors: Record<string, number> }): number {
  let failed = 0;
  for (const n of Object.values(row.errors)) failed += n;
  return failed;
}
