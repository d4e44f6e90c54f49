/**
 * The relative error of a prediction, one definition for every place that prints one (the `load
 * --predict` table and the report's "Predicted vs measured"): (predicted − measured) ÷ measured, so
 * +10 % means the simulation predicted 10 % more than was measured.
 */

/** (predicted − measured) ÷ measured; NaN when either is not finite or the measured value is 0. */
export function relativeError(predicted: number, measured: number): number {
  if (!Number.isFinite(predicted) || !Number.isFinite(measured) || measured === 0) return Number.NaN;
  return (predicted - measured) / measured;
}

/** {@link relativeError} as text: `+4.2 %`, `-0.8 %`, `0 %` when both are 0, `–` when undefined. */
export function formatRelativeError(predicted: number, measured: number): string {
  if (measured === 0 && predicted === 0) return '0 %';
  const e = relativeError(predicted, measured);
  if (Number.isNaN(e)) return '–';
  return `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)} %`;
}
