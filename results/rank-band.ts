/**
 * The binomial rank band of a sample quantile: of n independent draws, the number at or below the
 * true q-quantile is Binomial(n, q), so the order statistic that estimates it lies, with about 95 %
 * probability, between ranks n·q ± 1.96·√(n·q·(1−q)) (normal approximation). `compare` reads a
 * measured histogram at those ranks (a distribution-free interval of the percentile); the twin's
 * accuracy check reads the predicted histogram there (how far a perfect twin's percentile may fall).
 */

/** z of a two-sided 95 % normal interval. */
export const Z95 = 1.959963984540054;

/** Ranks (0..n, fractional, unclamped) between which the q-quantile (0..1) of n draws falls at 95 %. */
export interface RankBand {
  low: number;
  high: number;
}

/** The 95 % rank band n·q ± 1.96·√(n·q·(1−q)) of the q-quantile of n draws. */
export function rankBand(n: number, q: number): RankBand {
  const half = Z95 * Math.sqrt(n * q * (1 - q));
  return { low: n * q - half, high: n * q + half };
}
