import { describe, expect, it } from 'vitest';
import { evaluateLoadBudgets } from '../../loadtests/budgets.js';
import { FlowStats } from '../../loadtests/flow/stats.js';
import { ScenarioError } from '../../results/errors.js';
import type { RunResult } from '../../results/run-result.js';
import { splitBudgetKey } from '../../scenarios/budgets.js';
import { parseScenario } from '../../scenarios/load.js';

/** A scenario with one flow journey `play` of the given steps (YAML flow list items) and budgets. */
const text = (steps: string[], budgets: string[] = []) => `name: names
duration: 1s
users: { arrivals: poisson(1/s), journeys: { play: { steps: [svc] } } }
services: { svc: { time: exp(1ms) } }
${budgets.length ? `budgets:\n${budgets.map((b) => `  ${b}`).join('\n')}\n` : ''}load:
  target: http://127.0.0.1:1
  requests:
    play:
${steps.map((s) => `      - ${s}`).join('\n')}
`;

function problems(t: string): string[] {
  try {
    parseScenario(t, 'names.yaml');
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.issues.map((i) => `${i.line}:${i.col} ${i.message}`);
  }
}

/** A load result whose `play` flow has these step names, each answered once in `ms` (under 2.048 ms: exact in HDR). */
function result(names: string[], ms: number): RunResult {
  const stats = new FlowStats({ play: names });
  names.forEach((_, i) => {
    stats.response('play', i, 200, ms, 0.1, true);
    stats.check('play', i, 'status', true, true);
  });
  return {
    version: 1,
    kind: 'load',
    scenario: { name: 'names', hash: '' },
    window: { start: 0, end: 1 },
    journeys: {
      play: {
        count: 1,
        errors: {},
        errorRate: 0,
        throughput: 1,
        latency: { mean: ms, p50: ms, p90: ms, p95: ms, p99: ms, p999: ms, max: ms },
        hdr: '',
        sumSeconds: ms / 1000,
        steps: stats.steps('play'),
        checks: stats.checks('play'),
      },
    },
    budgets: [],
  };
}

describe('flow step names in budgets', () => {
  it('refuses a step name with CR, LF, tab or U+2028 where it is written', () => {
    const t = text([
      'get: { url: /a, name: "get\\r\\n/a" }',
      'get: { url: /b, name: "tab\\there" }',
      'get: { url: /c, name: "line\\u2028sep" }',
    ]);
    const msg = 'a step name is one line: no CR, LF, tab, NUL or other control characters';
    expect(problems(t)).toEqual([`9:31 ${msg}`, `10:31 ${msg}`, `11:31 ${msg}`]);
  });

  it('a step name holding dots, brackets, quotes or `__proto__` is a budget subject that matches', () => {
    const names = ['get /a[1].json', 'say "hi"', '__proto__'];
    const budgets = [
      "'play[get /a[1].json].p99': < 50ms",
      `'play[say "hi"].checks': "> 99%"`,
      "'play[__proto__].p99': < 1ms",
    ];
    const s = parseScenario(
      text(
        names.map((n, i) => `get: { url: /x${i}, name: ${JSON.stringify(n)} }`),
        budgets,
      ),
      'names.yaml',
    );
    expect(s.load?.requests.play.map((x) => (x.kind === 'request' ? x.name : ''))).toEqual(names);
    expect(splitBudgetKey('play[get /a[1].json].p99')).toEqual({
      subject: 'play[get /a[1].json]',
      metric: 'p99',
    });
    const b = evaluateLoadBudgets(result(names, 2), s.budgets);
    expect(b.map((x) => [x.expr, x.value, x.pass])).toEqual([
      ['play[get /a[1].json].p99 < 50ms', 2, true],
      ['play[say "hi"].checks > 99%', 1, true],
      ['play[__proto__].p99 < 1ms', 2, false],
    ]);
  });

  it('a step name with a line break from imported k6 tags still matches its budget', () => {
    const r = result(['get\n/a'], 2);
    const b = evaluateLoadBudgets(r, [
      {
        expr: 'play[get\n/a].p99 < 50ms',
        subject: 'play[get\n/a]',
        metric: 'p99',
        op: '<',
        limit: 50,
        kind: 'step',
      },
    ]);
    expect(b).toMatchObject([{ value: 2, pass: true }]);
  });

  it('names stay unique when a written name meets a generated one', () => {
    const s = parseScenario(
      text(['get: { url: /x }', 'get: { url: /x }', 'get: { url: /y, name: "get /x #2" }']),
      'names.yaml',
    );
    expect(s.load?.requests.play.map((x) => (x.kind === 'request' ? x.name : ''))).toEqual([
      'get /x',
      'get /x #2',
      'get /x #2 #2',
    ]);
  });
});
