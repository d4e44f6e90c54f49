/** `load --tool k6`: the scenario as a generated k6 script, run by the k6 binary. */

import type { RunResult } from '../../results/run-result.js';
import { type Scenario, scenarioHash } from '../../scenarios/load.js';

/**
 * Fails (exit 3) when k6 is not on PATH: checked before the twin, a profiled target or the metrics
 * server starts, so a missing k6 leaves nothing to stop.
 */
export async function checkK6Tool(): Promise<void> {
  const { requireK6 } = await import('../../loadtests/k6/runner.js');
  requireK6();
}

/** Runs k6 against `target`; `display` is the masked target the script file holds. */
export async function runK6Tool(
  scenario: Scenario,
  target: string,
  display: string,
  opts: { rate: number | undefined; duration: number | undefined },
): Promise<RunResult> {
  const { k6Bundle } = await import('../../loadtests/k6/script.js');
  const { runK6 } = await import('../../loadtests/k6/runner.js');
  // The real target reaches k6 through its environment; the file holds only the masked one.
  const { script, files } = k6Bundle(scenario, { target: display, rate: opts.rate, duration: opts.duration });
  const { result, issues } = await runK6({
    script,
    files,
    target,
    display,
    scenario: scenario.name,
    hash: scenarioHash(scenario),
  });
  for (const i of issues) process.stderr.write(`${i.file}:${i.line}  ${i.message}\n`);
  return result;
}
