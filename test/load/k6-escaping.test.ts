import { describe, expect, it } from 'vitest';
import { lit } from '../../loadtests/k6/literal.js';
import { K6_EXPORTS, k6Script } from '../../loadtests/k6/script.js';
import type { LoadScenario } from '../../loadtests/shape.js';
import { moduleShape, runScript, typecheck } from './k6-module.js';

/** Strings that break out of a literal, a comment or a template string when pasted unescaped. */
const HOSTILE = [
  `"double" 'single'`,
  'back`tick`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the hostile value is the point
  '${globalThis.pwned = 1}',
  '*/ export function setup() {} /*',
  '</script><script>alert(1)</script>',
  'line\nexport function setup() {}\n',
  'cr\rlf\r\n',
  'nul\u0000byte',
  'sep\u2028export const x = 1;\u2029',
  'back\\slash\\',
  '\ud800 lone surrogate',
  '__proto__',
];

function hostileScenario(v: string, i: number): LoadScenario {
  return {
    name: `n${i}${v}`,
    seed: 7,
    duration: 5,
    users: {
      arrivals: { kind: 'poisson', rate: 10 },
      journeys: { [`j${i}${v}`]: { weight: 1, steps: ['a.b'] } },
    },
    services: {},
    budgets: [{ expr: 'x', subject: `j${i}${v}`, metric: 'p99', op: '<', limit: 100 }],
    load: {
      target: `http://127.0.0.1:8080/${v}`,
      allow: [],
      tool: 'k6',
      connections: 10,
      maxRequests: 1000,
      maxDuration: 60,
      profile: [{ kind: 'hold', rate: 10, for: 5 }],
      feeds: {},
      // Built by hand, not through the schema: the hostile values are what validation would refuse.
      requests: {
        [`j${i}${v}`]: [
          {
            kind: 'request',
            name: 'hostile',
            method: `get${v}`,
            path: `/p/${v}`,
            headers: { [v]: v, 'x-plain': `a${v}b` },
            body: v,
            capture: [],
            check: [],
          },
        ],
      },
    },
  } as unknown as LoadScenario;
}

describe('k6 script escaping', () => {
  const scripts = HOSTILE.map((v, i) => k6Script(hostileScenario(v, i), { summaryFile: `s${v}.json` }));

  it('every hostile value round-trips exactly into what the script sends', () => {
    HOSTILE.forEach((v, i) => {
      const { exports, requests } = runScript(scripts[i]);
      expect(requests).toHaveLength(1);
      const [r] = requests;
      expect(r.url).toBe(`http://127.0.0.1:8080/${v}/p/${v}`);
      expect(r.method).toBe(`get${v}`.toUpperCase());
      expect(r.body).toBe(v);
      expect(Object.keys(r.headers).sort()).toEqual([v, 'x-plain'].sort());
      expect(r.headers[v]).toBe(v);
      expect(Object.hasOwn(r.headers, v)).toBe(true);
      expect(r.headers['x-plain']).toBe(`a${v}b`);
      expect(r.tags).toEqual({ journey: `j${i}${v}` });
      const options = exports.options as { thresholds: Record<string, string[]> };
      expect(Object.keys(options.thresholds)).toEqual([`http_req_duration{journey:j${i}${v}}`]);
      const summary = (exports.handleSummary as (d: unknown) => Record<string, string>)({});
      expect(Object.keys(summary)).toEqual([`s${v}.json`]);
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    });
  });

  it('each script parses as one module with exactly the expected exports', () => {
    for (const s of scripts) {
      const shape = moduleShape(s);
      expect(shape.errors).toBe(0);
      expect(shape.exports).toEqual([...K6_EXPORTS]);
    }
  });

  it('no scenario value reaches a comment, and the scripts typecheck against @types/k6', () => {
    for (const s of scripts) {
      const comments = s.split('\n').filter((l) => l.trimStart().startsWith('//'));
      expect(comments.join('\n')).not.toMatch(/pwned|setup|script>|8080/);
      for (const c of ['\u2028', '\u2029', '\u0000', '\r']) expect(s.includes(c)).toBe(false);
    }
    const r = typecheck(...scripts);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('lit refuses what JSON cannot carry instead of writing null', () => {
    expect(() => lit(Number.NaN)).toThrow(TypeError);
    expect(() => lit({ a: undefined })).toThrow(TypeError);
    expect(() => lit([Number.POSITIVE_INFINITY])).toThrow(TypeError);
    // biome-ignore lint/suspicious/noExplicitAny: a hostile own key
    const o: any = JSON.parse('{"__proto__": {"polluted": true}}');
    expect(new Function(`return ${lit(o)}`)()).toEqual(o);
    expect(Object.hasOwn(new Function(`return ${lit(o)}`)(), '__proto__')).toBe(true);
  });
});
