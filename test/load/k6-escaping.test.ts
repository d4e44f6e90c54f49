import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lit } from '../../loadtests/k6/literal.js';
import { K6_EXPORTS, k6Bundle } from '../../loadtests/k6/script.js';
import { encodeTarget } from '../../scenarios/load-http.js';
import { moduleShape, runK6Sandbox, type SandboxResponse, typecheck } from './k6-module.js';

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
  'k6::separator',
];

const tmp = mkdtempSync(join(tmpdir(), 'backline-k6-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const escapeRe = (v: string) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Values a header may not carry once templates are filled in (the script refuses them, counted). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the refused characters
const BAD_HEADER = /[\r\n\0]|[^\x00-\x7f]/;
/** Values k6's submetric syntax `metric{tag:value}` cannot select. */
const TAG_UNSAFE = /,|^[\s"']|[\s"']$/;

/**
 * A flow whose every scenario-derived string is hostile: journey, step and check names, header
 * names and values, paths, bodies, JSON keys, capture sources (regex, header, JSON path), a feed
 * with columns `__proto__` and the hostile value. Built by hand, not through the schema: the
 * hostile values are what validation would refuse.
 */
function hostileScenario(v: string, i: number) {
  const lower = v.toLowerCase();
  const feed = join(tmp, `feed${i}.json`);
  writeFileSync(feed, JSON.stringify([{ ['__proto__']: `proto-${v}`, [`c${v}`]: 'x' }]));
  const journey = `j${i}${v}`;
  return {
    name: `n${i}${v}`,
    seed: 7,
    duration: 5,
    users: {
      arrivals: { kind: 'poisson', rate: 10 },
      journeys: { [journey]: { weight: 1, steps: ['a.b'] } },
    },
    services: {},
    budgets: [
      { expr: 'x', subject: journey, metric: 'p99', op: '<', limit: 100, kind: 'journey' },
      { expr: 'y', subject: `${journey}[s${v}]`, metric: 'checks', op: '>', limit: 0.5, kind: 'step' },
    ],
    load: {
      target: `http://127.0.0.1:8080/${v}`,
      allow: [],
      tool: 'k6',
      connections: 10,
      maxRequests: 1000,
      maxDuration: 60,
      profile: [{ kind: 'hold', rate: 10, for: 5 }],
      feeds: { f: { file: feed, order: 'sequential', exhausted: 'stop', secret: [] } },
      requests: {
        [journey]: [
          {
            kind: 'request',
            name: `s${v}`,
            method: `get${v}`,
            path: `/p/${v}`,
            headers: { [v]: v, 'x-plain': `a${v}b` },
            body: v,
            capture: [
              { name: 'cap', from: 'regex', pattern: `<(${escapeRe(v)})>` },
              { name: 'hdr', from: 'header', header: lower },
            ],
            check: [
              { name: `header.${v}`, kind: 'header', header: lower, op: 'equals', value: v },
              { name: `body ${v}`, kind: 'body', op: 'matches', value: `^<${escapeRe(v)}>$` },
              { name: 'contains', kind: 'body', op: 'contains', value: v },
            ],
          },
          { kind: 'think', think: { kind: 'const', value: 0.001 } },
          {
            kind: 'request',
            name: 'json',
            method: 'POST',
            path: '/q',
            headers: {},
            json: {
              ['__proto__']: '{{cap}}',
              [`k${v}`]: ['{{feed.f.__proto__}}', 1, null],
              n: { [v]: '{{hdr}}' },
            },
            capture: [{ name: 'deep', from: 'json', path: [v, 0] }],
            check: [{ name: `json.${v}`, kind: 'json', path: [v, 0], op: 'equals', value: v }],
          },
        ],
      },
    },
  } as unknown as Parameters<typeof k6Bundle>[0];
}

/** Answers the hostile flow: `<v>` as text with header `v: v` for the first step, `{ v: [v] }` for the second. */
const responder =
  (v: string) =>
  (req: { url: string }): SandboxResponse =>
    req.url.endsWith('/q')
      ? { status: 200, body: JSON.stringify({ [v]: [v] }), headers: {}, duration: 1 }
      : { status: 200, body: `<${v}>`, headers: { [v.toLowerCase()]: v }, duration: 1 };

describe('k6 script escaping', () => {
  const bundles = HOSTILE.map((v, i) => k6Bundle(hostileScenario(v, i), { summaryFile: `s${v}.json` }));
  const scripts = bundles.map((b) => b.script);

  it('every hostile value round-trips exactly into what the script sends and checks', async () => {
    for (const [i, v] of HOSTILE.entries()) {
      const run = await runK6Sandbox(scripts[i], { files: bundles[i].files, respond: responder(v) });
      expect(run.errors, v).toEqual([]);
      expect(run.requests).toHaveLength(2);
      const [r, q] = run.requests;
      expect(r.url).toBe(`http://127.0.0.1:8080/${v}/p/${encodeTarget(v)}`);
      expect(r.method).toBe(`get${v}`.toUpperCase());
      expect(r.body).toBe(v);
      expect(Object.keys(r.headers).sort()).toEqual([v, 'x-plain'].sort());
      expect(r.headers[v]).toBe(v);
      expect(Object.hasOwn(r.headers, v)).toBe(true);
      expect(r.headers['x-plain']).toBe(`a${v}b`);
      expect(r.tags).toEqual({ journey: `j${i}${v}`, step: `s${v}`, name: `s${v}` });
      // Captured by regex and header, read from the feed's `__proto__` column: own keys, exact values.
      const sent = JSON.parse(q.body ?? 'null');
      expect(Object.keys(sent).sort()).toEqual(['__proto__', `k${v}`, 'n'].sort());
      expect(Object.hasOwn(sent, '__proto__')).toBe(true);
      expect(Object.getOwnPropertyDescriptor(sent, '__proto__')?.value).toBe(v);
      expect(sent[`k${v}`]).toEqual([`proto-${v}`, 1, null]);
      expect(sent.n[v]).toBe(v);
      expect(q.headers).toEqual({ 'content-type': 'application/json' });
      // Every check passed under its own name (`::` replaced: k6 refuses it in check names).
      const checks = run.points.filter((p) => p.metric === 'checks');
      expect(checks.map((p) => [p.tags.check, p.value])).toEqual(
        [`header.${v}`, `body ${v}`, 'contains', `json.${v}`].map((n) => [n.split('::').join(': :'), 1]),
      );
      expect(run.points.filter((p) => p.metric === 'journey_failed').map((p) => p.value)).toEqual([0]);
      const options = run.options as { thresholds: Record<string, string[]> };
      const safe = !TAG_UNSAFE.test(`j${i}${v}`);
      const stepSafe = safe && !TAG_UNSAFE.test(`s${v}`);
      expect(Object.keys(options.thresholds)).toEqual([
        ...(safe ? [`journey_duration{journey:j${i}${v}}`] : []),
        ...(stepSafe ? [`checks{journey:j${i}${v},step:s${v}}`] : []),
      ]);
      expect(bundles[i].skipped, JSON.stringify(v)).toEqual([
        ...(safe ? [] : ['x']),
        ...(stepSafe ? [] : ['y']),
      ]);
      expect(Object.keys(run.summary)).toEqual([`s${v}.json`]);
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    }
  });

  it('a header made from hostile captures is refused (bad_request), never sent', async () => {
    for (const [i, v] of HOSTILE.entries()) {
      if (!BAD_HEADER.test(v)) continue;
      const s = hostileScenario(v, i);
      const flow = Object.values(s.load?.requests ?? {})[0];
      const second = flow[2] as { headers: Record<string, string> };
      second.headers = { 'x-cap': '{{cap}}' };
      const b = k6Bundle(s);
      const run = await runK6Sandbox(b.script, { files: b.files, respond: responder(v) });
      expect(run.requests, v).toHaveLength(1);
      const failed = run.points.filter((p) => p.metric === 'journey_failed');
      expect(failed.map((p) => [p.value, p.tags.cause])).toEqual([[1, 'bad_request']]);
    }
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
