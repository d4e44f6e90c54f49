/**
 * Reports render at 10 k services: no chart or table spreads a large array into Math.min/max
 * (which overflows the stack past ~10^5 arguments).
 */
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../cli/format.js';
import { renderHtml } from '../../reports/html.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import type { RunResult, ServiceResult } from '../../results/run-result.js';
import { fullResult } from './fixture.js';

const N = 10_000;

function manyServices(): RunResult {
  const r = fullResult();
  const tl = r.timeline;
  if (!tl) throw new Error('the fixture has a timeline');
  const points = tl.t.length;
  const services: Record<string, ServiceResult> = {};
  tl.services = {};
  for (let i = 0; i < N; i++) {
    const name = `svc-${i}`;
    services[name] = {
      replicas: 2,
      workers: 8,
      utilization: (i % 97) / 100,
      queue: i % 7,
      served: i,
      rejected: 0,
    };
    tl.services[name] = {
      utilization: Array.from({ length: points }, (_, k) => ((i + k) % 100) / 100),
      queue: Array.from({ length: points }, (_, k) => (i * k) % 13),
      replicas: Array.from({ length: points }, () => 2),
    };
  }
  return { ...r, services };
}

describe('reports at 10 k services', () => {
  it('render HTML, Markdown, JUnit and the terminal summary without overflowing the stack', () => {
    const r = manyServices();
    const html = renderHtml(r, {});
    expect(html).toContain('svc-9999');
    expect(renderMarkdown(r, {})).toContain('## backline');
    expect(renderJunit(r, {})).toContain('<testsuite');
    expect(
      formatSummary(r)
        .split('\n')
        .filter((l) => l.startsWith('svc-')).length,
    ).toBe(N);
  }, 60_000);
});
