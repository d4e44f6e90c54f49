/**
 * The binary min-heap over parallel typed arrays (time, insertion sequence, slot) the kernel keeps
 * its events in: ordered by time, ties by sequence, so equal times fire in scheduling order.
 */
/** Puts (time, seq, slot) into the heap of `n` entries (n excluded) by sifting a hole up from `n`. */
export function siftUp(
  hTime: Float64Array,
  hSeq: Float64Array,
  hSlot: Int32Array,
  n: number,
  time: number,
  seq: number,
  slot: number,
): void {
  let i = n;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pt = hTime[p];
    if (pt < time || (pt === time && hSeq[p] < seq)) break;
    hTime[i] = pt;
    hSeq[i] = hSeq[p];
    hSlot[i] = hSlot[p];
    i = p;
  }
  hTime[i] = time;
  hSeq[i] = seq;
  hSlot[i] = slot;
}

/** Removes the root of a heap whose new size is `n` (the last entry sits at `n`); returns its slot. */
export function popHeap(hTime: Float64Array, hSeq: Float64Array, hSlot: Int32Array, n: number): number {
  const top = hSlot[0];
  if (n === 0) return top;
  const t = hTime[n];
  const s = hSeq[n];
  const sl = hSlot[n];
  // Sift the last entry down from the root with a hole.
  let i = 0;
  const half = n >> 1;
  while (i < half) {
    let c = 2 * i + 1;
    const r = c + 1;
    if (r < n && (hTime[r] < hTime[c] || (hTime[r] === hTime[c] && hSeq[r] < hSeq[c]))) c = r;
    const ct = hTime[c];
    if (t < ct || (t === ct && s < hSeq[c])) break;
    hTime[i] = ct;
    hSeq[i] = hSeq[c];
    hSlot[i] = hSlot[c];
    i = c;
  }
  hTime[i] = t;
  hSeq[i] = s;
  hSlot[i] = sl;
  return top;
}
