/**
 * Call frames as columns: every journey visit, logical call and attempt in flight is one row of
 * typed arrays (struct of arrays), never an object, so a million requests in flight cost a few
 * arrays and scheduling one allocates nothing.
 *
 * Rows are recycled; each row carries a generation that changes on release, so a late event or a
 * late answer can tell that the row it names now belongs to someone else (see {@link Frames.ref}).
 */

/** A user's journey in progress (parent of its step calls). */
export const VISIT = 0;
/** A logical call from a caller to a service route: owns retries and hedges. */
export const CALL = 1;
/** One try of a logical call at one replica. */
export const ATTEMPT = 2;

/** Attempt states. */
export const NET_IN = 0;
export const QUEUED = 1;
export const SERVING = 2;
export const WAITING = 3;
export const NET_OUT = 4;
/** Answered while still in a waiting room: freed when the replica pops it. */
export const ZOMBIE = 5;

/** Bits of the row id in an event argument (the rest is the generation). */
const ID_BITS = 2 ** 25;
/**
 * Generations wrap here, so every ref stays below 2^48 ({@link MAX_REF}): the content bridge keeps
 * tokens from 2^48 up for its own P2P server fetches.
 */
const GEN_MOD = 2 ** 23;
/** Every {@link Frames.ref} is below this. */
export const MAX_REF = ID_BITS * GEN_MOD;

/** The frame table. Column meaning depends on `kind`; see each field. */
export class Frames {
  kind: Uint8Array;
  gen: Int32Array;
  /** Caller row (VISIT: -1; CALL: visit or attempt; ATTEMPT: its call, -1 once abandoned). */
  parent: Int32Array;
  parentGen: Int32Array;
  start: Float64Array;
  /** Absolute end-to-end deadline (Infinity when none). */
  deadline: Float64Array;
  /** Region the frame runs in (VISIT/CALL: the caller's; ATTEMPT: the replica's). */
  region: Int32Array;
  user: Int32Array;
  /** VISIT: journey; CALL/ATTEMPT: target route. */
  route: Int32Array;
  /** VISIT: step index; ATTEMPT: route step index. */
  pc: Int32Array;
  /** CALL: tries sent; ATTEMPT: replica. */
  slot: Int32Array;
  /** CALL: attempts outstanding; ATTEMPT: children outstanding. */
  pending: Int32Array;
  /** ATTEMPT: its state (NET_IN … ZOMBIE). */
  state: Uint8Array;
  /** CALL: 1 once a hedge was sent. */
  hedged: Uint8Array;
  /** CALL: the timeout of each try (NaN when the callee sets none). */
  tryTimeout: Float64Array;
  /** ATTEMPT: 1 while it holds a worker. */
  holds: Uint8Array;
  /** Failure cause code of the first failed child (0 = none). */
  cause: Uint8Array;
  /** Kernel handle of the pending service/network event. */
  evt: Float64Array;
  /** Kernel handle of the caller-side timeout (ATTEMPT) or the deadline timer. */
  tmo: Float64Array;
  dl: Float64Array;

  private free: Int32Array;
  private freeTop = 0;
  private next = 0;
  private cap: number;

  constructor(capacity = 1024) {
    this.cap = capacity;
    this.kind = new Uint8Array(capacity);
    this.gen = new Int32Array(capacity);
    this.parent = new Int32Array(capacity);
    this.parentGen = new Int32Array(capacity);
    this.start = new Float64Array(capacity);
    this.deadline = new Float64Array(capacity);
    this.region = new Int32Array(capacity);
    this.user = new Int32Array(capacity);
    this.route = new Int32Array(capacity);
    this.pc = new Int32Array(capacity);
    this.slot = new Int32Array(capacity);
    this.pending = new Int32Array(capacity);
    this.state = new Uint8Array(capacity);
    this.hedged = new Uint8Array(capacity);
    this.tryTimeout = new Float64Array(capacity);
    this.holds = new Uint8Array(capacity);
    this.cause = new Uint8Array(capacity);
    this.evt = new Float64Array(capacity);
    this.tmo = new Float64Array(capacity);
    this.dl = new Float64Array(capacity);
    this.free = new Int32Array(capacity);
  }

  /** Rows in use. */
  get live(): number {
    return this.next - this.freeTop;
  }

  /** Rows ever handed out (the high-water mark; scans go up to it). */
  get highWater(): number {
    return this.next;
  }

  /** Takes a row of `kind`, with its timers cleared. */
  alloc(kind: number): number {
    let id: number;
    if (this.freeTop > 0) id = this.free[--this.freeTop];
    else {
      if (this.next === this.cap) this.grow();
      id = this.next++;
    }
    this.kind[id] = kind;
    this.evt[id] = -1;
    this.tmo[id] = -1;
    this.dl[id] = -1;
    this.cause[id] = 0;
    this.holds[id] = 0;
    this.state[id] = 0;
    this.hedged[id] = 0;
    this.pending[id] = 0;
    return id;
  }

  /** Returns a row; its generation moves on so stale references no longer match. */
  release(id: number): void {
    this.gen[id] = (this.gen[id] + 1) % GEN_MOD;
    this.kind[id] = 255;
    this.free[this.freeTop++] = id;
  }

  /** Whether row `id` is in use. */
  isLive(id: number): boolean {
    return this.kind[id] !== 255 && id < this.next;
  }

  /** A row id with its generation, for an event argument that may outlive the row. */
  ref(id: number): number {
    return this.gen[id] * ID_BITS + id;
  }

  /** The row a {@link Frames.ref} names, or -1 when that row was released since. */
  deref(ref: number): number {
    const id = ref % ID_BITS;
    return (ref - id) / ID_BITS === this.gen[id] && this.kind[id] !== 255 ? id : -1;
  }

  private grow(): void {
    const n = this.cap * 2;
    if (n > ID_BITS) throw new RangeError(`more than ${ID_BITS} requests in flight`);
    const g = <T extends Uint8Array | Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.kind = g(this.kind);
    this.gen = g(this.gen);
    this.parent = g(this.parent);
    this.parentGen = g(this.parentGen);
    this.start = g(this.start);
    this.deadline = g(this.deadline);
    this.region = g(this.region);
    this.user = g(this.user);
    this.route = g(this.route);
    this.pc = g(this.pc);
    this.slot = g(this.slot);
    this.pending = g(this.pending);
    this.state = g(this.state);
    this.hedged = g(this.hedged);
    this.tryTimeout = g(this.tryTimeout);
    this.holds = g(this.holds);
    this.cause = g(this.cause);
    this.evt = g(this.evt);
    this.tmo = g(this.tmo);
    this.dl = g(this.dl);
    this.free = g(this.free);
    this.cap = n;
  }
}
