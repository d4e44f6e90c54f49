import { interpolateYlOrRd, rgb } from 'd3';
import { describe, expect, it } from 'vitest';
import { contrastRatio, INK, luminance, PAPER, textOn } from '../../reports/contrast.js';
import { renderSweepHtml } from '../../reports/html/sweep.js';
import type { SweepResult } from '../../results/sweep.js';

describe('readable colours (WCAG contrast)', () => {
  it('computes WCAG luminance and contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 9);
    expect(luminance('#808080')).toBeCloseTo(0.2158605, 6);
    // Near-black #1d1d1f would fail on a mid fill: neither it nor white reaches 4.5 on #7d7d7d.
    expect(Math.max(contrastRatio('#1d1d1f', '#7d7d7d'), contrastRatio(PAPER, '#7d7d7d'))).toBeLessThan(4.5);
    expect(Math.max(contrastRatio(INK, '#7d7d7d'), contrastRatio(PAPER, '#7d7d7d'))).toBeGreaterThanOrEqual(
      4.5,
    );
  });

  it('picks black or white text with contrast ≥ 4.5 on every grey and every colour of the scale', () => {
    let worst = 21;
    for (let g = 0; g < 256; g++) {
      const fill = rgb(g, g, g).formatHex();
      worst = Math.min(worst, contrastRatio(textOn(fill), fill));
    }
    for (let t = 0; t <= 1; t += 0.01) {
      const fill = rgb(interpolateYlOrRd(t)).formatHex();
      worst = Math.min(worst, contrastRatio(textOn(fill), fill));
    }
    expect(worst).toBeGreaterThanOrEqual(4.58);
  });
});

describe('sweep report cells', () => {
  it('writes every table cell of report.html at contrast ≥ 4.5 with its background', () => {
    const result = (p99: number, pass: boolean | null) => ({
      version: 1,
      kind: 'sim',
      scenario: { name: 's', hash: 'h' },
      window: { start: 0, end: 1 },
      journeys: {
        req: { count: 10, throughput: 1, errorRate: 0.01, latency: { p50: 1, p90: 1, p99, mean: 1, max: 1 } },
      },
      budgets: [{ expr: 'req.p99 < 400ms', value: p99, limit: 400, pass, ci: [p99 - 20, p99 + 20] }],
    });
    const sweep = {
      version: 1,
      kind: 'sweep',
      scenario: { name: 's', hash: 'h' },
      seed: 1,
      commonSeed: false,
      replications: 2,
      vary: [{ key: 'k', values: ['1', '2', '3'] }],
      points: [
        { overrides: { k: '1' }, seed: 1, result: result(100, true) },
        { overrides: { k: '2' }, seed: 2, result: result(395, null) },
        { overrides: { k: '3' }, seed: 3, result: result(900, false) },
      ],
    } as unknown as SweepResult;
    const html = renderSweepHtml(sweep);
    // Cell text is the table's colour (CSS) on each cell's own background.
    const ink = /table\.heat td\{[^}]*color:(#[0-9a-f]{6})/.exec(html)?.[1] ?? '';
    expect(ink).toMatch(/^#/);
    const backgrounds = [...html.matchAll(/<td style="background:(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(backgrounds.length).toBeGreaterThanOrEqual(6);
    for (const bg of backgrounds) expect(contrastRatio(ink, bg)).toBeGreaterThanOrEqual(4.5);
  });
});
