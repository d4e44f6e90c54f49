/**
 * `junit.xml`: one testcase per budget, so CI systems (GitHub, GitLab, Jenkins) show each budget as
 * a test. A failed budget is a `<failure>` whose message shows value against limit. A budget whose
 * 95 % interval straddles the limit (`pass: null`, "unsure") is reported as `<skipped>` with the
 * interval in its message: it neither passes nor fails the build, and CI UIs show it as skipped
 * rather than green. Regressions found against a baseline are extra failing testcases.
 */
import type { Comparison } from '../results/compare.js';
import type { BudgetResult, RunResult } from '../results/run-result.js';
import { fmt } from './charts.js';
import { escapeXml as x } from './escape.js';

/** Options of {@link renderJunit}. */
export interface JunitOptions {
  /** A comparison against a baseline; each regression becomes a failing testcase. */
  comparison?: Comparison;
  /** Wall seconds the run took (the suite's `time`); load results fall back to their window. */
  wallSeconds?: number;
}

/** The suite's time in seconds as Jenkins' schema wants it (digits and a fraction), when known. */
function suiteTime(result: RunResult, wallSeconds: number | undefined): string | undefined {
  const s =
    wallSeconds ??
    (result.kind === 'load' && result.window ? result.window.end - result.window.start : undefined);
  return s !== undefined && Number.isFinite(s) && s >= 0 ? s.toFixed(3) : undefined;
}

function describe(b: BudgetResult): string {
  const ci = b.ci ? ` (95 % interval ${fmt(b.ci[0])} – ${fmt(b.ci[1])})` : '';
  return `value ${fmt(b.value)}${ci} vs limit ${fmt(b.limit)}`;
}

/** Renders the budgets (and regressions) of `result` as a JUnit XML report. */
export function renderJunit(result: RunResult, opts: JunitOptions = {}): string {
  const name = result.scenario?.name ?? 'scenario';
  const budgets = result.budgets;
  const regressions = opts.comparison?.regressions ?? [];
  const failures = budgets.filter((b) => b.pass === false).length + regressions.length;
  const skipped = budgets.filter((b) => b.pass === null).length;
  const tests = budgets.length + regressions.length;
  const cases: string[] = [];
  const time = suiteTime(result, opts.wallSeconds);
  const timeAttr = time === undefined ? '' : ` time="${time}"`;
  // A budget is judged in no measurable time once the run is over: its testcase time is 0, and the
  // run's own time is the suite's.
  for (const b of budgets) {
    const head = `    <testcase classname="backline.${x(name)}.budgets" name="${x(b.expr)}" time="0">`;
    if (b.pass === true)
      cases.push(`${head}\n      <system-out>${x(`pass: ${describe(b)}`)}</system-out>\n    </testcase>`);
    else if (b.pass === false)
      cases.push(
        `${head}\n      <failure message="${x(`${b.expr}: ${describe(b)}`)}" type="budget">${x(`budget ${b.expr} failed: ${describe(b)}`)}</failure>\n    </testcase>`,
      );
    else
      cases.push(
        `${head}\n      <skipped message="${x(`unsure: the 95 % interval straddles the limit; ${describe(b)}`)}"/>\n    </testcase>`,
      );
  }
  for (const r of regressions) {
    cases.push(
      `    <testcase classname="backline.${x(name)}.regressions" name="${x(`${r.journey}.${r.metric}`)}" time="0">\n      <failure message="${x(r.message)}" type="regression">${x(r.message)}</failure>\n    </testcase>`,
    );
  }
  const props = [
    ['kind', result.kind],
    ['seed', result.seed ?? ''],
    ['replications', result.replications ?? 1],
    ['scenario.hash', result.scenario?.hash ?? ''],
  ]
    .map(([k, v]) => `      <property name="${x(k)}" value="${x(v)}"/>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="backline" tests="${tests}" failures="${failures}" errors="0"${timeAttr}>
  <testsuite name="${x(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}"${timeAttr}>
    <properties>
${props}
    </properties>
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}
