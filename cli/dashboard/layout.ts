/**
 * Column widths and row limits for a terminal size, so every line fits `width` and the whole frame
 * fits `height` (80×24 at least), while wide terminals get longer bars and sparklines.
 */

/** Sizes every component lays itself out with. */
export interface Layout {
  width: number;
  /** Width of the name column of the journey, service and sparkline rows. */
  name: number;
  /** Most journey rows, service rows and sparkline rows shown. */
  journeys: number;
  services: number;
  sparklines: number;
  /** Width of a utilization bar. */
  bar: number;
  /** Width of each of the two sparklines in a row. */
  spark: number;
}

/** The layout for a terminal of `width` × `height` cells showing these many rows. */
export function layout(
  width: number,
  height: number,
  counts: { journeys: number; services: number },
): Layout {
  const w = Math.max(40, Math.floor(width));
  const name = Math.min(24, Math.max(8, Math.floor(w * 0.18)));
  // Title and progress (2), three blank lines, two table headers, content, faults, keys, and room
  // for the two "… more" lines when the tables are cut.
  const fixed = 12;
  let room = Math.max(6, Math.floor(height) - fixed);
  const journeys = Math.min(counts.journeys, Math.max(1, Math.ceil(room * 0.35)));
  room -= journeys;
  const services = Math.min(counts.services, Math.max(1, Math.ceil(room * 0.5)));
  room -= services;
  const sparklines = Math.min(journeys, Math.max(1, room));
  // Service row: name, replicas (6), bar, percent (7), queue (12), breaker (16), gaps.
  const bar = Math.max(6, Math.min(60, w - name - 6 - 7 - 12 - 16 - 6));
  // Sparkline row: name, "thr " + value (10), " p99 " + value (10), gaps.
  const spark = Math.max(6, Math.min(80, Math.floor((w - name - 2 - 2 * 14) / 2)));
  return { width: w, name, journeys, services, sparklines, bar, spark };
}
