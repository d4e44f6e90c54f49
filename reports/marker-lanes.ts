/**
 * Where the labels of shaded markers (faults, the warm-up) go above a chart so that none overlaps
 * another: each label takes the lowest lane where it clears every label already placed there, and
 * a label that would run past the plot's right edge ends at its marker's right edge instead.
 */

/** Pixels per character of a marker label (10 px system-ui, with margin for wide glyphs). */
export const LABEL_CHAR_PX = 6.2;
/** Height of one lane of labels. */
export const LANE_PX = 12;

/** One label placed: its text anchor point and lane (0 nearest the plot). */
export interface PlacedLabel {
  x: number;
  anchor: 'start' | 'end';
  lane: number;
  /** Left and right of the label's box. */
  left: number;
  right: number;
}

/**
 * Places labels for markers spanning `[from, to]` pixels; `text` is each label. Returns the places
 * in input order and the number of lanes used (at least 1).
 */
export function placeLabels(
  markers: readonly { from: number; to: number; text: string }[],
  plotRight: number,
): { placed: PlacedLabel[]; lanes: number } {
  const lanes: { left: number; right: number }[][] = [];
  const placed = markers.map((m) => {
    const width = [...m.text].length * LABEL_CHAR_PX;
    let left = m.from + 2;
    let anchor: 'start' | 'end' = 'start';
    if (left + width > plotRight) {
      anchor = 'end';
      left = Math.max(0, Math.max(m.to, m.from + 2) - width);
    }
    const right = left + width;
    let lane = lanes.findIndex((boxes) => boxes.every((b) => right + 4 <= b.left || left >= b.right + 4));
    if (lane < 0) {
      lane = lanes.length;
      lanes.push([]);
    }
    lanes[lane].push({ left, right });
    return { x: anchor === 'start' ? left : right, anchor, lane, left, right };
  });
  return { placed, lanes: Math.max(1, lanes.length) };
}
