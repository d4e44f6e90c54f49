/**
 * A sparkline's history over the whole run so far, in bounded memory. A frame may come only every
 * second or two (it may take at most FRAME_SHARE of the wall time) while a simulation covers a
 * minute of simulated time per second, so a sparkline of the last few snapshots showed a fault
 * only if a frame happened to land on it. Spanning the run keeps a fault on every later frame, and
 * in the final one. Each cell combines the windows it covers: the worst for p99 and errors (a
 * 30 s spike stays a spike), the mean for throughput.
 */

/** How points merge: the worst (largest) or the mean. NaN (a window without a figure) is skipped. */
export type Combine = 'max' | 'mean';

/** Points kept per series by default: more than the widest sparkline (60 cells) shows. */
export const SERIES_POINTS = 240;

/** `xs` combined, NaN when none of them is a number. */
export function combine(xs: readonly number[], how: Combine): number {
  let n = 0;
  let acc = how === 'max' ? Number.NEGATIVE_INFINITY : 0;
  for (const x of xs) {
    if (!Number.isFinite(x)) continue;
    n++;
    acc = how === 'max' ? Math.max(acc, x) : acc + x;
  }
  if (n === 0) return Number.NaN;
  return how === 'max' ? acc : acc / n;
}

/**
 * Window figures pushed one per snapshot. Once there are more than `cap` points, neighbours merge in
 * pairs and later snapshots are grouped as many at a time, so every point covers the same number
 * of snapshots and the series always spans the run from its start.
 */
export class RunSeries {
  private readonly done: number[] = [];
  private pending: number[] = [];
  private stride = 1;

  constructor(
    private readonly how: Combine,
    private readonly cap = SERIES_POINTS,
  ) {}

  /** Adds one window's figure. */
  push(x: number): void {
    this.pending.push(x);
    if (this.pending.length < this.stride) return;
    this.done.push(combine(this.pending, this.how));
    this.pending = [];
    if (this.done.length < this.cap) return;
    const merged: number[] = [];
    for (let i = 0; i < this.done.length; i += 2) merged.push(combine(this.done.slice(i, i + 2), this.how));
    this.done.splice(0, this.done.length, ...merged);
    this.stride *= 2;
  }

  /** The points from the start of the run, the newest (perhaps partly filled) last. */
  points(): number[] {
    return this.pending.length > 0 ? [...this.done, combine(this.pending, this.how)] : [...this.done];
  }
}

/**
 * `values` in at most `width` cells: as they are when they fit, otherwise cell `i` combines the
 * values from `i·n/width` up to `(i+1)·n/width`, so the cells cover the history evenly.
 */
export function sparkCells(values: readonly number[], width: number, how: Combine): number[] {
  const w = Math.max(0, Math.floor(width));
  const n = values.length;
  if (n <= w) return [...values];
  const out: number[] = [];
  for (let i = 0; i < w; i++) {
    out.push(combine(values.slice(Math.floor((i * n) / w), Math.floor(((i + 1) * n) / w)), how));
  }
  return out;
}
