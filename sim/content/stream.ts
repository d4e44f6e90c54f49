/**
 * An event stream in the manner of Kafka: a topic with partitions, messages keyed to a partition,
 * one consumer group whose instances own partitions and process one message at a time.
 *
 * Partitions are assigned round-robin over the live instances. A consumer crash stops the whole group
 * for the rebalance pause (Kafka's eager rebalance revokes every assignment), the crashed instance's
 * in-flight message goes back to the head of its partition (it was never committed), and the
 * partitions are then spread over the instances left. Lag is measured two ways: in messages (produced
 * but not yet consumed, sampled at a fixed interval) and in seconds (how long each message waited
 * before a consumer took it).
 */
import { LatencyHistogram } from '../../results/histogram.js';
import type { StreamResult } from '../../results/run-result.js';
import type { DistSpec } from '../../scenarios/distribution.js';
import { sampler } from '../kernel/distributions.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/random.js';
import { mix32 } from './catalog.js';

/** The scenario's `streams.<name>` section (CONTRACT.md), less `produce` (the wiring's business). */
export interface StreamOptions {
  partitions: number;
  key: 'user' | 'item' | 'random';
  consume: { instances: number; time: DistSpec };
  /** Pause of the whole group on a consumer crash or recovery, seconds. */
  rebalance: number;
  /** Lag sampling interval in seconds (default 1). */
  sampleEvery?: number;
}

/** A FIFO of produce times per partition, as a growable ring buffer. */
class TimeQueue {
  buf = new Float64Array(16);
  head = 0;
  size = 0;

  push(t: number): void {
    if (this.size === this.buf.length) this.grow();
    this.buf[(this.head + this.size) & (this.buf.length - 1)] = t;
    this.size++;
  }

  /** Puts a message back in front (an uncommitted in-flight message after a crash). */
  unshift(t: number): void {
    if (this.size === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = t;
    this.size++;
  }

  shift(): number {
    const t = this.buf[this.head];
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.size--;
    return t;
  }

  private grow(): void {
    const b = new Float64Array(this.buf.length * 2);
    for (let i = 0; i < this.size; i++) b[i] = this.buf[(this.head + i) & (this.buf.length - 1)];
    this.buf = b;
    this.head = 0;
  }
}

/** A topic and its consumer group. */
export class EventStream {
  readonly name: string;
  produced = 0;
  consumed = 0;
  /** Time each consumed message waited before processing started. */
  wait = new LatencyHistogram();
  private readonly queues: TimeQueue[];
  private readonly keyMode: StreamOptions['key'];
  private readonly rebalance: number;
  private readonly sampleEvery: number;
  private readonly time: () => number;
  private readonly pick: Rng;
  // Per instance.
  private readonly alive: Uint8Array;
  private readonly busy: Uint8Array;
  private readonly busyPart: Int32Array;
  private readonly busyTime: Float64Array;
  private readonly handle: Float64Array;
  private readonly cursor: Int32Array;
  // Per partition: owning instance, or -1 while rebalancing or with no live instance.
  private readonly owner: Int32Array;
  private paused = false;
  private samples = new Float64Array(256);
  private nSamples = 0;
  // Highest sampled lag since the last timeline tick, -1 when none was sampled.
  private ivMax = -1;
  private readonly hFinish: number;
  private readonly hResume: number;
  private readonly hSample: number;

  constructor(
    private readonly kernel: Kernel,
    name: string,
    opts: StreamOptions,
    rng: (stream: string) => Rng,
  ) {
    if (!(opts.partitions >= 1 && opts.consume.instances >= 1)) {
      throw new RangeError(`stream ${name}: partitions and instances must be >= 1`);
    }
    this.name = name;
    this.queues = Array.from({ length: opts.partitions }, () => new TimeQueue());
    this.keyMode = opts.key;
    this.rebalance = opts.rebalance;
    this.sampleEvery = opts.sampleEvery ?? 1;
    this.time = sampler(opts.consume.time, rng(`stream:${name}:time`));
    this.pick = rng(`stream:${name}:key`);
    const n = opts.consume.instances;
    this.alive = new Uint8Array(n).fill(1);
    this.busy = new Uint8Array(n);
    this.busyPart = new Int32Array(n);
    this.busyTime = new Float64Array(n);
    this.handle = new Float64Array(n);
    this.cursor = new Int32Array(n);
    this.owner = new Int32Array(opts.partitions);
    this.hFinish = kernel.on((i) => this.finish(i));
    this.hResume = kernel.on(() => this.resume());
    this.hSample = kernel.on(() => this.sample());
    this.assign();
    kernel.schedule(this.sampleEvery, this.hSample);
  }

  /** Messages produced but not yet consumed (queued plus in processing). */
  get lag(): number {
    return this.produced - this.consumed;
  }

  /** Sampled lag in messages, in time order (one per `sampleEvery`). */
  lagSamples(): Float64Array {
    return this.samples.slice(0, this.nSamples);
  }

  /** Produces one message keyed by `key` (a user or item id; ignored for `random` keys). */
  produce(key = 0): void {
    const n = this.queues.length;
    const p = this.keyMode === 'random' || key < 0 ? Math.floor(this.pick() * n) : mix32(key, 0x68e31da4) % n;
    this.queues[p].push(this.kernel.now);
    this.produced++;
    const o = this.owner[p];
    if (o >= 0 && this.busy[o] === 0) this.startNext(o);
  }

  /** Crashes instances `0..count-1` (or recovers them with `isDown` false); the group rebalances. */
  crash(count: number, isDown = true): void {
    const k = Math.min(count, this.alive.length);
    for (let i = 0; i < k; i++) {
      if (isDown && this.alive[i] === 1 && this.busy[i] === 1) {
        // The in-flight message was never committed: it goes back to its partition's head.
        this.kernel.cancel(this.handle[i]);
        this.busy[i] = 0;
        this.queues[this.busyPart[i]].unshift(this.busyTime[i]);
      }
      this.alive[i] = isDown ? 0 : 1;
    }
    this.paused = true;
    this.owner.fill(-1);
    this.kernel.schedule(this.rebalance, this.hResume);
  }

  /**
   * The highest sampled lag (messages) since the last call, for the timeline; the lag now when no
   * sample fell in the interval (an interval shorter than `sampleEvery`). Starts the next interval.
   */
  takeLagMax(): number {
    const m = this.ivMax >= 0 ? this.ivMax : this.lag;
    this.ivMax = -1;
    return m;
  }

  /** Forgets counters (end of warm-up); the backlog stays. */
  resetStats(): void {
    this.produced -= this.consumed;
    this.consumed = 0;
    this.wait = new LatencyHistogram();
    this.nSamples = 0;
  }

  /** The stream's section of the RunResult. */
  result(): StreamResult {
    const s = this.lagSamples().sort();
    const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0;
    const w = this.wait.summary();
    return {
      produced: this.produced,
      consumed: this.consumed,
      lagMessages: {
        mean: Math.round(mean * 1000) / 1000,
        p99: s.length ? s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)] : 0,
        max: s.length ? s[s.length - 1] : 0,
      },
      lagSeconds: { mean: w.mean / 1000, p99: w.p99 / 1000, max: w.max / 1000 },
    };
  }

  private assign(): void {
    const live: number[] = [];
    for (let i = 0; i < this.alive.length; i++) if (this.alive[i] === 1) live.push(i);
    for (let p = 0; p < this.owner.length; p++) this.owner[p] = live.length ? live[p % live.length] : -1;
  }

  private resume(): void {
    this.paused = false;
    this.assign();
    for (let i = 0; i < this.alive.length; i++)
      if (this.alive[i] === 1 && this.busy[i] === 0) this.startNext(i);
  }

  /** Takes the next message from the instance's partitions, round-robin from its cursor. */
  private startNext(i: number): void {
    if (this.paused) return;
    const queues = this.queues;
    const owner = this.owner;
    const n = queues.length;
    // The cursor is always below n, so the scan wraps with a compare instead of a modulo.
    let p = this.cursor[i];
    for (let k = 0; k < n; k++, p = p + 1 === n ? 0 : p + 1) {
      if (owner[p] !== i || queues[p].size === 0) continue;
      this.cursor[i] = p + 1 === n ? 0 : p + 1;
      const t = queues[p].shift();
      this.wait.record(this.kernel.now - t);
      this.busy[i] = 1;
      this.busyPart[i] = p;
      this.busyTime[i] = t;
      this.handle[i] = this.kernel.schedule(this.time(), this.hFinish, i);
      return;
    }
  }

  private finish(i: number): void {
    this.busy[i] = 0;
    this.consumed++;
    if (this.alive[i] === 1) this.startNext(i);
  }

  private sample(): void {
    if (this.nSamples === this.samples.length) {
      const b = new Float64Array(this.samples.length * 2);
      b.set(this.samples);
      this.samples = b;
    }
    this.samples[this.nSamples++] = this.lag;
    if (this.lag > this.ivMax) this.ivMax = this.lag;
    this.kernel.schedule(this.sampleEvery, this.hSample);
  }
}
