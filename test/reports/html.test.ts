import { describe, expect, it } from 'vitest';
import { predictedSection } from '../../reports/html/predicted.js';
import { failedShare } from '../../reports/html/timeline.js';
import { renderHtml } from '../../reports/html.js';
import type { RunResult } from '../../results/run-result.js';
import { EVIL, fullResult, journey } from './fixture.js';

describe('renderHtml without a browser', () => {
  it('is self-contained: no script, no remote reference, a CSP that forbids both', () => {
    const html = renderHtml(fullResult(), { predicted: fullResult(1.2) });
    expect(html).not.toMatch(/<script/i);
    // No tag loads anything (attribute values blanked first: escaped names may spell `src=` as text).
    expect(html.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toContain(EVIL);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('renders a minimal load result and never shows target credentials', () => {
    const r: RunResult = {
      version: 1,
      kind: 'load',
      scenario: { name: 'tiny', hash: 'x' },
      window: { start: 0, end: 10 },
      journeys: { ping: journey(50, 2, 1), idle: { ...journey(1, 1, 1), count: 0, hdr: '' } },
      budgets: [],
      target: { url: 'http://alice:s3cret@127.0.0.1:8080/api?token=abc' },
    };
    const html = renderHtml(r);
    expect(html).toContain('target http://127.0.0.1:8080/api ·');
    expect(html).not.toContain('s3cret');
    expect(html).not.toContain('token=abc');
    expect(html).toContain('<figcaption>Latency CDF · ping</figcaption>');
    expect(html).not.toContain('Latency CDF · idle');
    expect(html).toContain('The scenario declares no budgets.');
    expect(html).not.toContain('<h2>Services</h2>');
  });
});

describe('sweeps in the report', () => {
  it('draws a heatmap per metric from a SweepResult (vary keys, points with overrides and results)', () => {
    const base = fullResult();
    const points = ['4', '8'].flatMap((replicas, i) =>
      ['1k/s', '2k/s'].map((rate, k) => ({
        overrides: { 'services.gateway.replicas': replicas, 'users.arrivals': rate },
        seed: 1,
        result: { ...base, journeys: { play: journey(500, (10 * (1 + k)) / (1 + i), 3) } },
      })),
    );
    const html = renderHtml(base, {
      sweep: {
        version: 1,
        kind: 'sweep',
        scenario: base.scenario,
        seed: 1,
        commonSeed: false,
        replications: 1,
        vary: [
          { key: 'services.gateway.replicas', values: ['4', '8'] },
          { key: 'users.arrivals', values: ['1k/s', '2k/s'] },
        ],
        points,
      },
    });
    expect(html).toContain(
      '<h2>Sweep</h2><p class="meta">4 points over services.gateway.replicas, users.arrivals.</p>',
    );
    expect(html).toContain('<figcaption>play p99 (ms)</figcaption>');
    expect(html).toContain('<figcaption>play errors (%)</figcaption>');
    expect(html).toContain('title="services.gateway.replicas=8 2k/s"');
    // Only light cell backgrounds (dark text stays readable): budget verdicts and the metric scale.
    const backgrounds = [...html.matchAll(/<td style="background:(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(backgrounds.length).toBeGreaterThanOrEqual(8);
    for (const b of backgrounds) {
      const [r, g, bl] = [1, 3, 5].map((i) => Number.parseInt(b.slice(i, i + 2), 16));
      expect(0.2126 * r + 0.7152 * g + 0.0722 * bl, b).toBeGreaterThan(180);
    }
  });
});

describe('report charts say what they plot', () => {
  it('plots the failed share of journeys for a load test (counts per interval) and a simulation (shares) alike', () => {
    const tl = (errors: number[]) => ({
      interval: 2,
      t: [0, 2, 4],
      journeys: { play: { throughput: [10, 5, 0], p50: [1, 1, 1], p99: [2, 2, 2], errors } },
      services: {},
    });
    const load: RunResult = { ...fullResult(), kind: 'load', timeline: tl([6, 1, 0]) };
    const sim: RunResult = { ...fullResult(), kind: 'sim', timeline: tl([0.3, 0.1, 0]) };
    // 6 of 10/s × 2 s = 30 %, 1 of 5/s × 2 s = 10 %, and no journeys: no point.
    expect(failedShare(load, 'play')).toEqual([30, 10, Number.NaN]);
    expect(failedShare(sim, 'play')).toEqual([30, 10, 0]);
    const html = renderHtml(load);
    expect(html).toContain('Failed journeys over time');
    expect(html).toContain('failed share of journeys (%)');
    expect(html).toContain('time since start (s)');
    expect(renderHtml(sim)).toContain('simulated time (s)');
  });

  it('keeps the sign of the predicted p99 error: a faster prediction is a bar left of zero', () => {
    const m = fullResult();
    const p = fullResult();
    const [a, b] = Object.keys(m.journeys);
    p.journeys[a] = {
      ...m.journeys[a],
      latency: { ...m.journeys[a].latency, p99: m.journeys[a].latency.p99 * 0.8 },
    };
    p.journeys[b] = {
      ...m.journeys[b],
      latency: { ...m.journeys[b].latency, p99: m.journeys[b].latency.p99 * 1.25 },
    };
    const html = predictedSection(m, p);
    expect(html).toContain('(predicted − measured) / measured (%)');
    const zero = Number(/class="axis zero" x1="([\d.]+)"/.exec(html)?.[1]);
    const bars = [...html.matchAll(/class="series bar" d="M([\d.]+),[\d.]+h([\d.]+)/g)].map((x) => [
      Number(x[1]),
      Number(x[2]),
    ]);
    expect(bars).toHaveLength(2);
    // −20 % ends at zero from the left, +25 % starts at zero going right, a quarter longer.
    expect(bars[0][0] + bars[0][1]).toBeCloseTo(zero, 0);
    expect(bars[1][0]).toBeCloseTo(zero, 0);
    expect(bars[1][1] / bars[0][1]).toBeCloseTo(25 / 20, 1);
    expect(html).toContain('>−20 %<');
    expect(html).toContain('>+25 %<');
  });

  it('ends the time axis with the run: a fault that fired as a 40 s load ended does not stretch it to 80 s', () => {
    const t = Array.from({ length: 40 }, (_, i) => i);
    const flat = (v: number) => t.map(() => v);
    const r: RunResult = {
      ...fullResult(),
      kind: 'load',
      window: { start: 1, end: 40.24 },
      timeline: {
        interval: 1,
        t,
        journeys: {
          play: { throughput: flat(90), p50: flat(150), p99: flat(400), errors: flat(0), failed: flat(0) },
        },
        services: {},
      },
      faults: [{ at: 40, for: 40, label: 'crash search' }],
    };
    const fig = renderHtml(r)
      .split('<figure')
      .find((f) => f.includes('Throughput over time'));
    const xTicks = [...(fig ?? '').matchAll(/class="tick-label"[^>]*text-anchor="middle">([\d.]+)</g)].map(
      (m) => Number(m[1]),
    );
    expect(xTicks.length).toBeGreaterThan(3);
    expect(Math.max(...xTicks)).toBeLessThanOrEqual(45);
    // The fault still shows, as the sliver of it that the run saw.
    expect(fig).toContain('crash search');
  });

  it('shows p95 beside p90 and p99 in the journey table', () => {
    const html = renderHtml(fullResult());
    expect(html).toContain('<th>p90 ms</th><th>p95 ms</th><th>p99 ms</th>');
  });
});
