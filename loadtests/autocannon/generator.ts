/**
 * The generator watching itself: per-request scheduler lag (intended start → handed to the
 * transport), requests dropped because no connection was free within their slot (k6's
 * `dropped_iterations`), waits for a connection, event-loop delay and CPU. A generator that falls
 * behind must not have its own lateness reported as the service's latency: {@link behindReason}
 * says when (more than 1 % of requests over 10 ms late, or under 97 % of the intended sent).
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { LatencyHistogram, round } from '../../results/histogram.js';
import type { GeneratorResult } from '../../results/run-result.js';
import type { GeneratorLive } from '../collector.js';

/** A request is late when handed over this many seconds after its intended start. */
export const LATE_SECONDS = 0.01;
/** The generator is behind when more than this share of requests is late… */
export const LATE_SHARE_LIMIT = 0.01;
/** …or it sent less than this share of what the schedule intended. */
export const ACHIEVED_LIMIT = 0.97;

/** What one thread measured, as plain data (crosses `postMessage`, merges exactly). */
export interface GeneratorState {
  intended: number;
  sent: number;
  dropped: number;
  waited: number;
  late: number;
  lag: string;
  lagSum: number;
  eld: { p50: number; p99: number; max: number };
}

/** Counts of one thread of the generator. */
export class GeneratorMonitor {
  intended = 0;
  /** Counted by executors that want it (flows); the result's `sent` is intended − dropped. */
  sent = 0;
  dropped = 0;
  waited = 0;
  late = 0;
  readonly lag = new LatencyHistogram();
  private readonly eld: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });

  /**
   * @param warmup seconds at the start whose requests count as intended (and dropped) but whose
   *   lag is not judged: the same warm-up the collector leaves out of the service's latency
   *   (connections opening, the JIT compiling the hot path).
   */
  constructor(readonly warmup = 0) {
    this.eld.enable();
  }

  /** A request intended at `intendedSeconds`, handed to the transport `lagSeconds` after it. */
  dispatched(lagSeconds: number, intendedSeconds = Number.POSITIVE_INFINITY): void {
    this.intended++;
    if (intendedSeconds < this.warmup) return;
    this.lag.record(Math.max(0, lagSeconds));
    if (lagSeconds > LATE_SECONDS) this.late++;
  }

  /** An intended request that was never sent. */
  drop(): void {
    this.dropped++;
  }

  /** The live row of the dashboard. */
  live(): GeneratorLive {
    const eld = this.eld.percentile(99);
    return {
      lagP99: round(this.lag.percentileMs(99), 3),
      lateShare: round(this.lag.count > 0 ? this.late / this.lag.count : 0, 4),
      dropped: this.dropped,
      loopP99: Number.isFinite(eld) ? round(eld / 1e6, 3) : 0,
    };
  }

  /** Stops sampling the event loop. */
  stop(): void {
    this.eld.disable();
  }

  /** This thread's numbers as plain data. */
  state(): GeneratorState {
    const ms = (ns: number) => (Number.isFinite(ns) ? round(ns / 1e6, 3) : 0);
    return {
      intended: this.intended,
      // Handed to the transport and not dropped: written, or in flight when the run ended.
      sent: this.intended - this.dropped,
      dropped: this.dropped,
      waited: this.waited,
      late: this.late,
      lag: this.lag.encode(),
      lagSum: this.lag.sum,
      eld: {
        p50: ms(this.eld.percentile(50)),
        p99: ms(this.eld.percentile(99)),
        max: ms(this.eld.max),
      },
    };
  }
}

/** Why a generator with these totals cannot be trusted, or undefined when it kept the schedule. */
export function behindReason(
  g: Pick<GeneratorResult, 'intended' | 'sent' | 'lateShare' | 'dropped'>,
): string | undefined {
  const why: string[] = [];
  if (g.lateShare > LATE_SHARE_LIMIT)
    why.push(`${round(g.lateShare * 100, 1)} % of requests started more than ${LATE_SECONDS * 1000} ms late`);
  if (g.intended > 0 && g.sent / g.intended < ACHIEVED_LIMIT)
    why.push(
      `sent ${g.sent} of ${g.intended} intended requests (${round((g.sent / g.intended) * 100, 1)} %${g.dropped ? `, ${g.dropped} dropped` : ''})`,
    );
  return why.length ? why.join('; ') : undefined;
}

/** Merges the threads' states into the RunResult's `generator` block. */
export function generatorResult(
  states: readonly GeneratorState[],
  cpu: { seconds: number; wallSeconds: number },
): GeneratorResult {
  const lag = new LatencyHistogram();
  let intended = 0;
  let sent = 0;
  let dropped = 0;
  let waited = 0;
  let late = 0;
  const eld = { p50: 0, p99: 0, max: 0 };
  for (const s of states) {
    lag.merge(LatencyHistogram.decode(s.lag, s.lagSum));
    intended += s.intended;
    sent += s.sent;
    dropped += s.dropped;
    waited += s.waited;
    late += s.late;
    eld.p50 = Math.max(eld.p50, s.eld.p50);
    eld.p99 = Math.max(eld.p99, s.eld.p99);
    eld.max = Math.max(eld.max, s.eld.max);
  }
  const handed = lag.count;
  const g: GeneratorResult = {
    workers: states.length,
    intended: intended,
    sent,
    dropped,
    waitedForConnection: waited,
    lag: {
      p50: round(lag.percentileMs(50), 3),
      p99: round(lag.percentileMs(99), 3),
      max: round(lag.maxSeconds * 1000, 3),
    },
    lateShare: round(handed > 0 ? late / handed : 0, 4),
    eventLoopDelay: eld,
    cpuSeconds: round(cpu.seconds, 3),
    cpuShare: round(cpu.wallSeconds > 0 ? cpu.seconds / cpu.wallSeconds : 0, 3),
  };
  const behind = behindReason(g);
  if (behind) g.behind = behind;
  return g;
}
