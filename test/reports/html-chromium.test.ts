/**
 * The HTML report in a real browser: headless Debian Chromium opens the file:// page, and we check
 * what a reader would see. Skipped (not passed) when /usr/bin/chromium is absent.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import type { RunResult } from '../../results/run-result.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulateSync } from '../../sim/run.js';
import { ROOT } from '../cli.js';
import { EVIL, fullResult } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output', 'reports');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the Chromium report tests: ${CHROMIUM} is not installed`);

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface ChartInfo {
  title: string;
  paths: string[];
  drawn: number;
  /** Where the browser put the marker labels, and the chart's own box. */
  labels: (Box & { text: string })[];
  svg: Box;
  /** The y axis's tick labels and its (rotated) title. */
  yTicks: (Box & { text: string })[];
  yTitle?: Box & { text: string };
}

/** The little of the DOM these checks touch (the project compiles without the DOM lib). */
interface PathNode {
  getAttribute(name: string): string | null;
  getBBox(): { width: number; height: number };
  getBoundingClientRect(): Box;
  textContent: string | null;
}
interface FigureNode {
  querySelector(sel: string): (PathNode & { textContent: string | null }) | null;
  querySelectorAll(sel: string): Iterable<PathNode>;
}

interface PageReport {
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  requests: string[];
  charts: ChartInfo[];
  text: string;
  images: number;
  scripts: number;
}

describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string, name: string): Promise<PageReport> {
    const file = join(OUT, `${name}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const r: PageReport = {
      consoleErrors: [],
      pageErrors: [],
      dialogs: [],
      requests: [],
      charts: [],
      text: '',
      images: 0,
      scripts: 0,
    };
    page.on('console', (m) => {
      if (m.type() === 'error') r.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => r.pageErrors.push(e.message));
    page.on('dialog', async (d) => {
      r.dialogs.push(d.message());
      await d.dismiss();
    });
    page.on('request', (q) => r.requests.push(q.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    r.charts = await page.$$eval('figure.chart', (figs) =>
      (figs as unknown as FigureNode[]).map((f) => {
        const paths = [...f.querySelectorAll('svg path.series')];
        return {
          title: f.querySelector('figcaption')?.textContent ?? '',
          paths: paths.map((p) => p.getAttribute('d') ?? ''),
          // A path is drawn when the browser laid it out with a non-empty box.
          drawn: paths.filter((p) => {
            const b = p.getBBox();
            return b.width > 0 || b.height > 0;
          }).length,
          labels: [...f.querySelectorAll('svg text.marker-label')].map((t) => {
            const b = t.getBoundingClientRect();
            return { left: b.left, top: b.top, right: b.right, bottom: b.bottom, text: t.textContent ?? '' };
          }),
          yTicks: [...f.querySelectorAll('svg text.tick-label[text-anchor="end"]')].map((t) => {
            const b = t.getBoundingClientRect();
            return { left: b.left, top: b.top, right: b.right, bottom: b.bottom, text: t.textContent ?? '' };
          }),
          yTitle: [...f.querySelectorAll('svg text.axis-label[transform]')].map((t) => {
            const b = t.getBoundingClientRect();
            return { left: b.left, top: b.top, right: b.right, bottom: b.bottom, text: t.textContent ?? '' };
          })[0],
          svg: (() => {
            const b = (f.querySelector('svg') as PathNode).getBoundingClientRect();
            return { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
          })(),
        };
      }),
    );
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
    r.text = await page.$eval('body', (b) => (b as unknown as { innerText: string }).innerText);
    r.images = await page.$$eval('img', (x) => x.length);
    r.scripts = await page.$$eval('script', (x) => x.length);
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    await page.close();
    return r;
  }

  it('draws every chart of a full result with predicted beside measured, escapes names, runs nothing', async () => {
    const measured = fullResult(1, 1);
    const predicted = fullResult(1.2, 7);
    const r = await open(renderHtml(measured, { predicted }), 'full');
    expect(r.consoleErrors).toEqual([]);
    expect(r.pageErrors).toEqual([]);
    expect(r.dialogs).toEqual([]);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]).toMatch(/^file:\/\/.*full\.html$/);
    expect(r.images).toBe(0);
    expect(r.scripts).toBe(0);
    const titles = r.charts.map((c) => c.title);
    for (const t of [
      'Latency CDF · play',
      `Latency CDF · ${EVIL}`,
      'Relative error of predicted p99 per journey',
      'p99 latency with 95 % confidence intervals',
      'Latency percentiles over time · measured',
      'Latency percentiles over time · predicted',
      'Throughput over time · measured',
      'Failed journeys over time · measured',
      'Failed journeys over time · predicted',
      'Utilization per service',
      'Replicas per service',
      'Circuit breaker state (0 closed · 0.5 half-open · 1 open)',
      'CDN hit ratio per edge',
      'Where the bytes came from',
      'Load per shard · playlists',
      'Consumer lag per stream',
    ])
      expect(titles).toContain(t);
    for (const c of r.charts) {
      expect(c.paths.length, c.title).toBeGreaterThan(0);
      for (const d of c.paths) expect(d, c.title).toMatch(/^M[\d.-]/);
      expect(c.drawn, c.title).toBe(c.paths.length);
    }
    // One replicas chart, not a second one of the same changes.
    expect(titles.filter((t) => /replica/i.test(t))).toEqual(['Replicas per service']);
    // Predicted and measured share the CDF axes: two lines in the play chart, one dashed.
    expect(r.charts.find((c) => c.title === 'Latency CDF · play')?.paths).toHaveLength(2);
    // The journey name shows as text, literally.
    expect(r.text).toContain(EVIL);
    expect(r.text).toContain('<script>alert(2)</script>');
    expect(r.text).toContain('spotify <evening> & "peak"');
    expect(r.text).toMatch(/play\.errors < 0\.1%\s+0\.003\s+0\.001\s+–\s+FAIL/);
    expect(r.text).toMatch(/Predicted vs measured/);
    expect(r.text).toMatch(/P2P streaming/);
    expect(r.text).toMatch(/Event streams/);
  });

  it('stacks fault labels so that none overlaps another or leaves its chart', async () => {
    const r = fullResult(1, 1);
    // spotify's five faults on a 600 s axis (about 1 px per second: labels are ~150 px wide), and
    // one at the right edge whose label cannot start at its marker.
    r.faults = [
      { at: 60, for: 60, label: 'crash stores.playlists ×2' },
      { at: 90, for: 30, label: 'slow auth +50ms' },
      { at: 150, for: 30, label: 'outage us-east' },
      { at: 210, for: 30, label: 'errors license 20%' },
      { at: 240, for: 20, label: 'crash streams.plays ×2' },
      { at: 590, for: 10, label: 'partition eu-west<->us-east' },
    ];
    const page = await open(renderHtml(r), 'fault-labels');
    const timed = page.charts.filter((c) => c.labels.length > 0);
    expect(timed.length).toBeGreaterThanOrEqual(5);
    const overlap = (a: Box, b: Box) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    for (const c of timed) {
      // The warm-up and six faults.
      expect(c.labels.map((l) => l.text)).toHaveLength(7);
      for (const [i, a] of c.labels.entries()) {
        expect(a.left, `${c.title}: ${a.text}`).toBeGreaterThanOrEqual(c.svg.left);
        expect(a.right, `${c.title}: ${a.text}`).toBeLessThanOrEqual(c.svg.right);
        expect(a.top, `${c.title}: ${a.text}`).toBeGreaterThanOrEqual(c.svg.top);
        for (const b of c.labels.slice(i + 1))
          expect(overlap(a, b), `${c.title}: ${a.text} / ${b.text}`).toBe(false);
      }
      // They needed more than one lane.
      expect(new Set(c.labels.map((l) => Math.round(l.top))).size).toBeGreaterThan(1);
    }
  });

  it("keeps the y axis's title clear of its tick labels when the values are tiny (mean queue 1e-4)", async () => {
    // spotify's queue chart read `requests waiting` over `0.00008`: seven-character ticks ran into it.
    const r = fullResult(1, 1);
    for (const svc of Object.values(r.timeline?.services ?? {})) svc.queue = svc.queue.map((q) => q * 1e-4);
    const page = await open(renderHtml(r), 'tiny-axis');
    const queue = page.charts.find((c) => c.title === 'Queue per service');
    expect(queue?.yTicks.length).toBeGreaterThan(2);
    const apart = (a: Box, b: Box) =>
      a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
    for (const c of page.charts) {
      if (!c.yTitle) continue;
      for (const t of c.yTicks) {
        expect(apart(t, c.yTitle), `${c.title}: tick ${t.text} / ${c.yTitle.text}`).toBe(true);
        expect(t.left, `${c.title}: tick ${t.text}`).toBeGreaterThanOrEqual(c.svg.left);
      }
    }
  });

  it('draws a real simulation, with its timeline and without one, with confidence intervals and a CDF', async () => {
    const scenario = loadScenario('mmc', ['duration=2000s', 'warmup=100s', 'replications=3']);
    const result: RunResult = simulateSync(scenario);
    const bare: RunResult = { ...result };
    delete bare.timeline;
    const pages = [
      {
        r: await open(renderHtml(result), 'mmc'),
        over: ['Latency percentiles over time', 'Throughput over time'],
      },
      {
        r: await open(renderHtml(bare), 'mmc-no-timeline'),
        over: ['Throughput per journey', 'Error rate per journey'],
      },
    ];
    if (!result.timeline) pages.shift();
    for (const { r, over } of pages) {
      expect(r.consoleErrors).toEqual([]);
      expect(r.pageErrors).toEqual([]);
      expect(r.dialogs).toEqual([]);
      const titles = r.charts.map((c) => c.title);
      expect(titles).toEqual(
        expect.arrayContaining([
          'Latency CDF · req',
          'mean latency with 95 % confidence intervals',
          'Utilization per service',
          ...over,
        ]),
      );
      for (const c of r.charts) {
        expect(c.paths.length, c.title).toBeGreaterThan(0);
        expect(c.drawn, c.title).toBe(c.paths.length);
      }
      // The CDF line has one point per plotted percentile (105).
      const cdf = r.charts.find((c) => c.title === 'Latency CDF · req')!;
      expect(cdf.paths[0].split('L')).toHaveLength(105);
      expect(r.text).toContain(`${result.journeys.req.count.toLocaleString('en-US')}`);
    }
    expect(existsSync(join(OUT, 'mmc.png'))).toBe(true);
  });
});
