/**
 * Column widths and row limits for a terminal size, so every line fits `width` and the whole frame
 * fits `height` (80×24 at least, and the shorter final frame that leaves room for the report paths
 * under it), while wide terminals get longer bars and sparklines.
 */

/** Sizes every component lays itself out with. */
export interface Layout {
  width: number;
  /** Width of the name column of the journey, service and sparkline rows. */
  name: number;
  /** Most journey rows, service rows and sparkline rows shown (sparklines may be 0). */
  journeys: number;
  services: number;
  sparklines: number;
  /** Lines of budget verdicts. */
  budgets: number;
  /** Width of a utilization bar. */
  bar: number;
  /** Width of each of the three sparklines in a row. */
  spark: number;
}

/** What a frame has to show. */
export interface LayoutNeeds {
  journeys: number;
  services: number;
  /** Lines the budget verdicts take at this width. */
  budgets: number;
  /** One-line rows present: content, faults, keys. */
  extras: number;
}

/** Lines a frame takes with these row counts. */
function lines(n: LayoutNeeds, j: number, s: number, b: number, sp: number): number {
  // Title and progress (2), the generator row or a blank, the journey header.
  let total = 4 + j + (j < n.journeys ? 1 : 0) + b + n.extras;
  if (n.services > 0) total += 2 + s + (s < n.services ? 1 : 0);
  if (sp > 0) total += 1 + sp;
  return total;
}

/**
 * The layout for a terminal of `width` × `height` cells. When rows do not all fit, the longest of
 * the sparkline, service and journey lists gives way first (sparklines on ties), then the last
 * sparkline, then budget lines; the header, one journey, one service and one budget line stay.
 */
export function layout(width: number, height: number, needs: LayoutNeeds): Layout {
  const w = Math.max(40, Math.floor(width));
  const h = Math.floor(height);
  const name = Math.min(24, Math.max(8, Math.floor(w * 0.18)));
  let j = needs.journeys;
  let s = needs.services;
  let b = needs.budgets;
  let sp = j;
  while (lines(needs, j, s, b, sp) > h) {
    // The longest of sparklines, services and journeys gives way first, down to one row each.
    const most = Math.max(sp, s, j);
    if (most > 1) {
      if (sp === most) sp--;
      else if (s === most) s--;
      else j--;
      sp = Math.min(sp, j);
    } else if (sp > 0) sp--;
    else if (b > 1) b--;
    else break;
  }
  // Service row: name, replicas (6), bar, percent (7), queue (12), breaker (16), gaps.
  const bar = Math.max(6, Math.min(60, w - name - 6 - 7 - 12 - 16 - 6));
  // Sparkline row: name, then three of "xxx " + sparkline + " " + value (8).
  const spark = Math.max(4, Math.min(60, Math.floor((w - name - 1 - 3 * 13) / 3)));
  return { width: w, name, journeys: j, services: s, sparklines: Math.min(sp, j), budgets: b, bar, spark };
}
