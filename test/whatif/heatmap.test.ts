import { interpolateYlOrRd, rgb } from 'd3';
import { describe, expect, it } from 'vitest';
import { contrastRatio, INK, luminance, PAPER, textOn } from '../../reports/contrast.js';
import { type HeatmapSpec, heatmap } from '../../reports/heatmap.js';
import { renderSweepHtml } from '../../reports/html/sweep.js';
import type { SweepResult } from '../../results/sweep.js';

/** Every cell of a heatmap's SVG: its fill, its text colour and its label. */
function cells(svg: string) {
  const re =
    /<path class="series cell([^"]*)" d="[^"]*" fill="(#[0-9a-f]{6})"><title>([^<]*)<\/title><\/path><text class="cell-value"[^>]* fill="(#[0-9a-f]{6})">([^<]*)<\/text>/g;
  return [...svg.matchAll(re)].map((m) => ({
    verdict: m[1].trim(),
    fill: m[2],
    title: m[3],
    text: m[4],
    label: m[5],
  }));
}

const grid = (values: number[][], extra: Partial<HeatmapSpec> = {}): HeatmapSpec => ({
  title: 'p99',
  xLabel: 'replicas',
  yLabel: 'rate',
  xs: values[0].map((_, i) => String(i + 1)),
  ys: values.map((_, i) => `r${i}`),
  values,
  ...extra,
});

describe('heatmap colours', () => {
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

  it('writes every cell text of the generated SVG at contrast ≥ 4.5 with its fill, dark cells in white', () => {
    const values = [
      [1, 5, 10, 20],
      [40, 80, 160, 320],
      [640, 1280, 2560, 5120],
    ];
    const svg = heatmap(grid(values));
    const cs = cells(svg);
    expect(cs).toHaveLength(12);
    for (const c of cs) expect(contrastRatio(c.text, c.fill)).toBeGreaterThanOrEqual(4.5);
    // The darkest cell (5120 at the red end of the scale) is written in white, the lightest in black.
    expect(cs[11].text).toBe(PAPER);
    expect(cs[0].text).toBe(INK);
    const budget = heatmap(grid(values, { budget: { op: '<', limit: 100 } }));
    const bs = cells(budget);
    for (const c of bs) expect(contrastRatio(c.text, c.fill)).toBeGreaterThanOrEqual(4.5);
    expect(bs.filter((c) => c.verdict === 'missed').map((c) => c.text)).toEqual(Array(6).fill(PAPER));
  });

  it('does not paint a spread within the 95 % intervals as a difference', () => {
    const ci = (w: number) => [[[10 - w / 2, 10 + w / 2] as const, [11 - w / 2, 11 + w / 2] as const]];
    const noisy = cells(heatmap(grid([[10, 11]], { intervals: ci(10) })));
    const sure = cells(heatmap(grid([[10, 11]], { intervals: ci(0.1) })));
    const gap = (cs: typeof noisy) => Math.abs(luminance(cs[0].fill) - luminance(cs[1].fill));
    // 1 ms apart with ±5 ms intervals: a tenth of the scale; with ±0.05 ms: the whole scale.
    expect(gap(noisy)).toBeLessThan(0.1);
    expect(gap(sure)).toBeGreaterThan(0.5);
    expect(heatmap(grid([[10, 11]], { intervals: ci(10) }))).toContain('within one 95 % interval');
    expect(noisy[1].title).toContain('95 % interval 6 – 16');
  });

  it('marks cells whose interval straddles the budget as unsure, in a neutral colour', () => {
    const svg = heatmap(
      grid([[300, 390, 420, 600]], {
        intervals: [
          [
            [280, 320],
            [360, 430],
            [405, 440],
            [550, 650],
          ],
        ],
        budget: { op: '<', limit: 400 },
      }),
    );
    const cs = cells(svg);
    expect(cs.map((c) => c.verdict)).toEqual(['met', 'unsure', 'missed', 'missed']);
    expect(cs[1].fill).toBe('#e6e6e6');
    expect(cs[1].label).toBe('≈390');
    expect(cs[1].title).toContain('unsure');
    expect(svg).toContain('grey ≈: unsure, the 95 % interval straddles the limit (1 cell)');
  });

  it('escapes hostile labels', () => {
    const svg = heatmap({ ...grid([[1]]), xs: ['<script>'], ys: ['"__proto__"'] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
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
