import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { quoteCalls } from './yaml-calls.js';

describe('quoteCalls', () => {
  it('lets calls with `: ` and commas be written unquoted', () => {
    const src =
      'a: lognormal(median: 2ms, p99: 12ms)\nb: { t: uniform(1ms, 2ms), w: 2 }\nc: [exp(1ms), f(1, 2)]\n';
    expect(parse(quoteCalls(src).text)).toEqual({
      a: 'lognormal(median: 2ms, p99: 12ms)',
      b: { t: 'uniform(1ms, 2ms)', w: 2 },
      c: ['exp(1ms)', 'f(1, 2)'],
    });
  });

  it('leaves comments, quoted strings, block scalars and keys alone', () => {
    const src = [
      '# f(a, b)',
      "q: 'g(a, b)'",
      'about: |',
      '  h(a: 1, b)',
      'k(x, y): 1',
      'plain: see f(a, b) here',
      '',
    ].join('\n');
    expect(quoteCalls(src).text).toBe(src);
  });

  it('maps offsets back to the original text', () => {
    const src = 'a: f(1, 2)\nb: 3\n';
    const q = quoteCalls(src);
    expect(q.text).toBe("a: 'f(1, 2)'\nb: 3\n");
    expect(q.original(q.text.indexOf("'"))).toBe(3);
    expect(q.original(q.text.indexOf('b'))).toBe(src.indexOf('b'));
  });
});
