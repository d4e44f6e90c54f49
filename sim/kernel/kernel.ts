/**
 * The discrete-event kernel: a clock, a future-event list and a loop. Nothing else in `sim/`
 * advances time.
 *
 * The event list is a binary heap over preallocated typed arrays. Each entry carries its time, an
 * insertion sequence number (so events at equal times fire in the order they were scheduled, which
 * makes runs deterministic), a handler id and one numeric argument. Handlers are registered once
 * (`on`) and addressed by id, so scheduling allocates nothing: no closure, no record object.
 *
 * The list has two tiers: a near heap holding every event up to a horizon, and a far heap holding
 * the rest. Long timers (a track's end minutes ahead, tens of thousands of them) then wait in the
 * far heap and leave the near heap, which every event passes through, small and shallow. When the
 * near heap runs dry the horizon moves one window past the earliest far event and the far events up
 * to it move over. (time, seq) is a total order and both tiers respect it, so the firing order is
 * exactly that of one heap.
 *
 * Beside the heaps sit FIFO lanes, one per fixed delay a caller declares (`fifo`): events scheduled
 * `delay` after now in a lane come out in the order they went in, so a lane is already sorted by
 * (time, seq) and costs O(1) per event instead of a heap's O(log n). The loop fires whichever of the
 * near heap's root and the lanes' heads is first by (time, seq), so lanes change speed, never order.
 */

import { popHeap, siftUp } from './heap.js';

/** A handler receives the numeric argument it was scheduled with (a request id, a replica index…). */
export type Handler = (arg: number) => void;

/** Slots per generation in an event handle; bounds the number of pending events at 2^26. */
const SLOTS = 2 ** 26;
/**
 * Generations wrap here (as `sim/topology/frames.ts` does), so a handle `gen·2^26 + slot` stays
 * below 2^53 and exact: unwrapped, a slot reused 2^27 times (a few hundred million events on one
 * hot slot) gave handles that round, and `cancel()` missed or hit the wrong event.
 */
const GEN_MOD = 2 ** 27;
const CANCELLED = -1;
/**
 * Bounds on the events one horizon move should bring to the near heap (see `moveHorizon`). Long
 * timers set steadily (P2P prefetches: hundreds a second, each minutes ahead) fill the near heap
 * with a window's worth, and every event pays for its depth, so a window holds about a thousand.
 */
const MOVE_MIN = 64;
const MOVE_MAX = 1024;
/** Sources of the next event besides a lane index (see `source`). */
const NEAR = -1;
const NONE = -2;

/** The simulation clock and event list. */
export class Kernel {
  /** Current simulated time in seconds. Only the kernel advances it. */
  now = 0;
  /** Events fired so far (cancelled ones are not counted). */
  fired = 0;

  private handlers: Handler[] = [];
  private stopped = false;

  // Near heap entries (time <= horizon), parallel arrays indexed by heap position.
  private hTime: Float64Array;
  private hSeq: Float64Array;
  private hSlot: Int32Array;
  private size = 0;
  private seq = 0;
  // Far heap entries (time > horizon), same layout.
  private fTime: Float64Array;
  private fSeq: Float64Array;
  private fSlot: Int32Array;
  private farSize = 0;
  private horizon = 0;
  private window = 1;
  // FIFO lanes (see `fifo`): a ring per lane of (time, seq, slot) triples, one cache line apart at
  // most, sorted by (time, seq) by construction. Heads and lengths count triples.
  private laneDelay: number[] = [];
  private laneRing: Float64Array[] = [];
  private laneHead: number[] = [];
  private laneLen: number[] = [];
  /** Entries in all lanes. */
  private laned = 0;

  // Event records, indexed by slot; slots are recycled through a free stack.
  private sHandler: Int32Array;
  private sArg: Float64Array;
  private sGen: Float64Array;
  private freeSlots: Int32Array;
  private freeTop = 0;
  private nextSlot = 0;
  private cap: number;

  constructor(capacity = 1024) {
    this.cap = capacity;
    this.hTime = new Float64Array(capacity);
    this.hSeq = new Float64Array(capacity);
    this.hSlot = new Int32Array(capacity);
    this.fTime = new Float64Array(capacity);
    this.fSeq = new Float64Array(capacity);
    this.fSlot = new Int32Array(capacity);
    this.sHandler = new Int32Array(capacity);
    this.sArg = new Float64Array(capacity);
    this.sGen = new Float64Array(capacity);
    this.freeSlots = new Int32Array(capacity);
  }

  /** Registers a handler and returns the id to schedule it with. */
  on(handler: Handler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Number of events waiting (cancelled ones included until they surface). */
  get pending(): number {
    return this.size + this.farSize + this.laned;
  }

  /** Time of the next event, or Infinity when none is pending. */
  peek(): number {
    const src = this.source();
    return src === NONE ? Number.POSITIVE_INFINITY : this.headTime(src);
  }

  /**
   * Schedules handler `id` to fire `delay` seconds from now with `arg`.
   * @returns a handle for {@link Kernel.cancel}.
   */
  schedule(delay: number, id: number, arg = 0): number {
    return this.at(this.now + delay, id, arg);
  }

  /** Schedules handler `id` at absolute time `time` (never before now). */
  at(time: number, id: number, arg = 0): number {
    if (!(time >= this.now)) time = this.now; // also catches NaN
    const slot = this.take(id, arg);
    const seq = this.seq++;
    if (time <= this.horizon) siftUp(this.hTime, this.hSeq, this.hSlot, this.size++, time, seq, slot);
    else siftUp(this.fTime, this.fSeq, this.fSlot, this.farSize++, time, seq, slot);
    return this.sGen[slot] * SLOTS + slot;
  }

  /**
   * The lane for events `delay` seconds ahead (one per distinct delay): for a delay many events
   * share, such as a fixed network hop, {@link Kernel.inFifo} then schedules in O(1). Firing order is
   * the same as with {@link Kernel.schedule}.
   */
  fifo(delay: number): number {
    if (!(delay >= 0 && delay < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`a FIFO lane needs a finite delay >= 0 (got ${delay})`);
    }
    const known = this.laneDelay.indexOf(delay);
    if (known >= 0) return known;
    this.laneDelay.push(delay);
    this.laneRing.push(new Float64Array(64 * 3));
    this.laneHead.push(0);
    this.laneLen.push(0);
    return this.laneDelay.length - 1;
  }

  /**
   * Schedules handler `id` with `arg` one lane delay from now (`lane` from {@link Kernel.fifo}).
   * @returns a handle for {@link Kernel.cancel}.
   */
  inFifo(lane: number, id: number, arg = 0): number {
    const slot = this.take(id, arg);
    let ring = this.laneRing[lane];
    const n = this.laneLen[lane];
    if (n * 3 === ring.length) ring = this.growLane(lane);
    const at = ((this.laneHead[lane] + n) & (ring.length / 3 - 1)) * 3;
    ring[at] = this.now + this.laneDelay[lane];
    ring[at + 1] = this.seq++;
    ring[at + 2] = slot;
    this.laneLen[lane] = n + 1;
    this.laned++;
    return this.sGen[slot] * SLOTS + slot;
  }

  /**
   * Cancels a scheduled event. Cancellation is lazy: the entry stays in the heap and is discarded
   * when it reaches the top, which keeps cancel O(1) (timeouts are cancelled far more often than
   * they fire).
   * @returns true when the event was still pending.
   */
  cancel(handle: number): boolean {
    const slot = handle % SLOTS;
    const gen = (handle - slot) / SLOTS;
    if (slot >= this.nextSlot || this.sGen[slot] !== gen || this.sHandler[slot] === CANCELLED) return false;
    this.sHandler[slot] = CANCELLED;
    return true;
  }

  /** Fires the next event. @returns false when there is none. */
  step(): boolean {
    for (;;) {
      const src = this.source();
      if (src === NONE) return false;
      const time = this.headTime(src);
      const slot = src === NEAR ? this.popRoot() : this.shiftLane(src);
      const id = this.sHandler[slot];
      const arg = this.sArg[slot];
      this.release(slot);
      if (id === CANCELLED) continue;
      this.now = time;
      this.fired++;
      this.handlers[id](arg);
      return true;
    }
  }

  /**
   * Fires events in order until the next one lies after `until`, the list is empty or
   * {@link Kernel.stop} is called; then the clock stands at `until` (when finite and not stopped).
   */
  run(until = Number.POSITIVE_INFINITY): void {
    this.stopped = false;
    const handlers = this.handlers;
    // Arrays are re-read each turn: a handler may schedule enough to make them grow.
    while (!this.stopped) {
      const src = this.source();
      if (src === NONE) break;
      const time = this.headTime(src);
      if (time > until) break;
      const slot = src === NEAR ? this.popRoot() : this.shiftLane(src);
      const id = this.sHandler[slot];
      const arg = this.sArg[slot];
      this.release(slot);
      if (id === CANCELLED) continue;
      this.now = time;
      this.fired++;
      handlers[id](arg);
    }
    if (!this.stopped && until !== Number.POSITIVE_INFINITY && until > this.now) this.now = until;
  }

  /** Ends the current {@link Kernel.run} after the event being fired. */
  stop(): void {
    this.stopped = true;
  }

  /** Takes a free slot for handler `id` with `arg`, growing the tables when all are pending. */
  private take(id: number, arg: number): number {
    if (this.size + this.farSize + this.laned === this.cap) this.grow();
    const slot = this.freeTop > 0 ? this.freeSlots[--this.freeTop] : this.nextSlot++;
    this.sHandler[slot] = id;
    this.sArg[slot] = arg;
    return slot;
  }

  /**
   * Where the next event is: NEAR (the near heap's root), a lane index, or NONE. Brings far events
   * over first when the near heap ran dry, as a single heap would have them at hand.
   */
  private source(): number {
    if (this.size === 0 && this.farSize > 0) this.moveHorizon();
    let src = this.size > 0 ? NEAR : NONE;
    if (this.laned === 0) return src;
    let t = src === NEAR ? this.hTime[0] : Number.POSITIVE_INFINITY;
    let s = src === NEAR ? this.hSeq[0] : Number.POSITIVE_INFINITY;
    const lens = this.laneLen;
    for (let l = 0; l < lens.length; l++) {
      if (lens[l] === 0) continue;
      const ring = this.laneRing[l];
      const h = this.laneHead[l] * 3;
      const lt = ring[h];
      if (lt < t || (lt === t && ring[h + 1] < s)) {
        src = l;
        t = lt;
        s = ring[h + 1];
      }
    }
    return src;
  }

  /** Time of the next event of `src` (NEAR or a lane index). */
  private headTime(src: number): number {
    return src === NEAR ? this.hTime[0] : this.laneRing[src][this.laneHead[src] * 3];
  }

  /** Removes the head of `lane` and returns its slot. */
  private shiftLane(lane: number): number {
    const h = this.laneHead[lane];
    const ring = this.laneRing[lane];
    const slot = ring[h * 3 + 2];
    this.laneHead[lane] = (h + 1) & (ring.length / 3 - 1);
    this.laneLen[lane]--;
    this.laned--;
    return slot;
  }

  /** Doubles `lane`'s full ring (a power of two of triples), unrolled to start at 0; returns it. */
  private growLane(lane: number): Float64Array {
    const n = this.laneLen[lane];
    const h = this.laneHead[lane];
    const ring = this.laneRing[lane];
    const bigger = new Float64Array(n * 6);
    bigger.set(ring.subarray(h * 3));
    bigger.set(ring.subarray(0, h * 3), (n - h) * 3);
    this.laneRing[lane] = bigger;
    this.laneHead[lane] = 0;
    return bigger;
  }

  private release(slot: number): void {
    const gen = this.sGen[slot] + 1;
    this.sGen[slot] = gen === GEN_MOD ? 0 : gen;
    this.freeSlots[this.freeTop++] = slot;
  }

  /** Removes the near heap's root entry and returns its slot. */
  private popRoot(): number {
    return popHeap(this.hTime, this.hSeq, this.hSlot, --this.size);
  }

  /**
   * With the near heap empty: moves the horizon one window past the earliest far event and brings
   * the far events up to it over. The window doubles when a move brings few events (moves would be
   * frequent and short timers would go through the far heap) and halves when it brings many (the
   * near heap would grow deep again).
   */
  private moveHorizon(): void {
    const fTime = this.fTime;
    const fSeq = this.fSeq;
    const fSlot = this.fSlot;
    const horizon = fTime[0] + this.window;
    let moved = 0;
    while (this.farSize > 0 && fTime[0] <= horizon) {
      const time = fTime[0];
      const seq = fSeq[0];
      const slot = popHeap(fTime, fSeq, fSlot, --this.farSize);
      siftUp(this.hTime, this.hSeq, this.hSlot, this.size++, time, seq, slot);
      moved++;
    }
    this.horizon = horizon;
    if (moved < MOVE_MIN && this.window < 1e9) this.window *= 2;
    else if (moved > MOVE_MAX && this.window > 1e-9) this.window /= 2;
  }

  private grow(): void {
    const cap = this.cap * 2;
    if (cap > SLOTS) throw new RangeError(`more than ${SLOTS} pending events`);
    const g = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    const f64 = (n: number) => new Float64Array(n);
    const i32 = (n: number) => new Int32Array(n);
    this.hTime = g(this.hTime, f64);
    this.hSeq = g(this.hSeq, f64);
    this.hSlot = g(this.hSlot, i32);
    this.fTime = g(this.fTime, f64);
    this.fSeq = g(this.fSeq, f64);
    this.fSlot = g(this.fSlot, i32);
    this.sHandler = g(this.sHandler, i32);
    this.sArg = g(this.sArg, f64);
    this.sGen = g(this.sGen, f64);
    this.freeSlots = g(this.freeSlots, i32);
    this.cap = cap;
  }
}
