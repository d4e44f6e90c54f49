/**
 * What a CLI run left running: the run is given a unique environment variable, which every process
 * it starts inherits, and afterwards no process may still carry it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** A fresh marker to put in a run's environment (`{ [mark]: '1' }`). */
export const newMark = (): string => `BACKLINE_TEST_MARK_${randomUUID().replaceAll('-', '_')}`;

/**
 * Pids (other than this process) whose environment holds `mark`, or undefined where there is no
 * `/proc` to look in (the caller says so and skips the check).
 */
export function processesMarked(mark: string): number[] | undefined {
  if (!existsSync('/proc')) return undefined;
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(mark)) found.push(Number(pid));
    } catch {
      // Gone already, or another user's.
    }
  }
  return found;
}
