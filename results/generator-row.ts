/**
 * The "generator" row shown by the dashboard, the progress lines, the summary and the reports:
 * one wording everywhere for how well the load generator kept its schedule.
 */
import type { GeneratorResult } from './run-result.js';

/** What the row shows, live or final. */
export interface GeneratorFacts {
  lagP99: number;
  lateShare: number;
  dropped: number;
  loopP99: number;
  cpuShare?: number;
  workers?: number;
}

/** `lag p99 0.4 ms · 0.0 % late · 0 dropped · loop p99 1.2 ms · cpu 34 % · 2 workers`. */
export function generatorRow(g: GeneratorFacts): string {
  const parts = [
    `lag p99 ${g.lagP99.toFixed(1)} ms`,
    `${(g.lateShare * 100).toFixed(1)} % late`,
    `${g.dropped} dropped`,
    `loop p99 ${g.loopP99.toFixed(1)} ms`,
  ];
  if (g.cpuShare !== undefined) parts.push(`cpu ${(g.cpuShare * 100).toFixed(0)} %`);
  if (g.workers !== undefined && g.workers > 1) parts.push(`${g.workers} workers`);
  return parts.join(' · ');
}

/** The row's facts of a finished run. */
export function generatorFacts(g: GeneratorResult): GeneratorFacts {
  return {
    lagP99: g.lag.p99,
    lateShare: g.lateShare,
    dropped: g.dropped,
    loopP99: g.eventLoopDelay.p99,
    cpuShare: g.cpuShare,
    workers: g.workers,
  };
}

/** The exit-3 message of a generator that fell behind. */
export function behindMessage(g: GeneratorResult): string {
  return `the load generator could not keep the schedule: ${g.behind}; use --workers or fewer connections (or --allow-late to judge the budgets on these numbers anyway)`;
}
