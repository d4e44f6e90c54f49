import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../reports/json.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { compareResults } from '../../results/compare.js';
import { EVIL, fullResult, journey } from './fixture.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (n) => n === 'testcase',
});

describe('junit.xml', () => {
  it('has one testcase per budget: pass, a failure showing value vs limit, and unsure as skipped', () => {
    const xml = renderJunit(fullResult());
    const doc = parser.parse(xml, true);
    const suite = doc.testsuites.testsuite;
    expect(suite['@name']).toBe('spotify <evening> & "peak"');
    expect(suite['@tests']).toBe('3');
    expect(suite['@failures']).toBe('1');
    expect(suite['@skipped']).toBe('1');
    const cases = suite.testcase as Record<string, unknown>[];
    expect(cases.map((c) => c['@name'])).toEqual([
      'play.p99 < 400ms',
      'play.errors < 0.1%',
      `${EVIL}.p50 < 10ms`,
    ]);
    expect(cases[0].failure).toBeUndefined();
    expect(cases[0]['system-out']).toBe('pass: value 180 vs limit 400');
    const failure = cases[1].failure as Record<string, string>;
    expect(failure['@message']).toBe('play.errors < 0.1%: value 0.003 vs limit 0.001');
    expect(failure['@type']).toBe('budget');
    const skipped = cases[2].skipped as Record<string, string>;
    expect(skipped['@message']).toBe(
      'unsure: the 95 % interval straddles the limit; value 9.8 (95 % interval 9.1 – 10.4) vs limit 10',
    );
    // The markup in the name stays text: escaped in the file, restored by the parser.
    expect(xml).not.toContain('<img');
    expect(xml).toContain('&lt;img src=x onerror=alert(1)&gt;.p50 &lt; 10ms');
  });

  it('adds a failing testcase per regression against a baseline', () => {
    const base = fullResult();
    const slow = fullResult();
    slow.journeys.play = journey(4000, 80, 3, { errors: 12, ci: false });
    delete base.journeys.play.ci;
    const xml = renderJunit(slow, { comparison: compareResults(base, slow) });
    const suite = parser.parse(xml).testsuites.testsuite;
    const regressions = (suite.testcase as Record<string, unknown>[]).filter((c) =>
      (c['@classname'] as string).endsWith('.regressions'),
    );
    expect(regressions.map((c) => c['@name'])).toEqual(['play.p99', 'play.mean']);
    expect((regressions[0].failure as Record<string, string>)['@message']).toMatch(
      /^play\.p99 rose from [\d.]+ ms to [\d.]+ ms \(\+\d+(\.\d)? %, beyond the 10 % tolerance/,
    );
    expect(suite['@failures']).toBe('3');
  });

  it('is a valid empty suite when the scenario has no budgets', () => {
    const r = fullResult();
    r.budgets = [];
    const suite = parser.parse(renderJunit(r)).testsuites.testsuite;
    expect(suite['@tests']).toBe('0');
    expect(suite.testcase).toBeUndefined();
  });
});

describe('summary.md', () => {
  it('gives the verdict, the budget table and the journeys, with names escaped', () => {
    const md = renderMarkdown(fullResult());
    expect(md.split('\n')[0]).toBe('## backline · spotify &lt;evening&gt; &amp; &quot;peak&quot; · ❌ FAIL');
    expect(md).toContain('| `play.errors < 0.1%` | 0.003 | 0.001 | ❌ FAIL |');
    expect(md).toContain('| `<img src=x onerror=alert(1)>.p50 < 10ms` | 9.8 [9.1, 10.4] | 10 | ⚠️ unsure |');
    expect(md).toMatch(
      /\| &lt;img src=x onerror=alert\(1\)&gt; \| 1,500 \| 2\.5 \| 0 % \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/,
    );
    expect(md).toMatch(/\| play \| 4,012 \| 6\.69 \| 0\.3 % \| 28\.5 \| 180 \| 40\.8 \|/);
    // Raw markup only inside code spans, where Markdown shows it literally.
    expect(md.replace(/`[^`]*`/g, '')).not.toMatch(/<img/);
  });

  it('passes with all budgets met and lists baseline deltas with marks', () => {
    const r = fullResult();
    r.budgets = [{ expr: 'play.p99 < 400ms', value: 180, limit: 400, pass: true }];
    const md = renderMarkdown(r, { comparison: compareResults(r, r) });
    expect(md.split('\n')[0]).toBe('## backline · spotify &lt;evening&gt; &amp; &quot;peak&quot; · ✅ PASS');
    expect(md).toContain('| play | +0.0 % · | +0.0 % · | +0.0 % · | +0.0 % · |');
    expect(md).toContain('No significant regression beyond the tolerance.');
  });

  it('shows predicted vs measured p99 with the relative error', () => {
    const m = fullResult();
    const p = fullResult();
    p.journeys.play = {
      ...p.journeys.play,
      latency: { ...p.journeys.play.latency, p99: m.journeys.play.latency.p99 * 1.25 },
    };
    expect(renderMarkdown(m, { predicted: p })).toMatch(/\| play \| [\d.]+ \| [\d.]+ \| \+25\.0 % \|/);
  });
});

describe('result.json', () => {
  it('round-trips the result byte-stably', () => {
    const r = fullResult();
    const text = renderJson(r);
    expect(text.endsWith('}\n')).toBe(true);
    expect(renderJson(JSON.parse(text))).toBe(text);
  });
});
