import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../../cli/dashboard/Dashboard.js';
import { colourOf, stripAnsi } from './ansi.js';
import { crowdedView, journey, smallView } from './fixtures.js';

// Colours must be on for the colour assertions, whatever the test runner's terminal is.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

/** Renders once into a fake terminal `columns` wide and returns the frame. */
function frameAt(element: ReactElement, columns: number): string {
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows: 24,
    frames: [] as string[],
    write(s: string) {
      this.frames.push(s);
      return true;
    },
  });
  const instance = inkRender(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  instance.unmount();
  return stdout.frames[stdout.frames.length - 1] ?? '';
}

/** Display width of a line: every glyph we draw is one cell wide. */
const cells = (line: string) => [...line].length;

describe('dashboard frames', () => {
  it('shows scenario, seed, progress and the journey and service numbers', () => {
    const { lastFrame } = render(<Dashboard view={smallView()} width={80} height={24} />);
    const f = stripAnsi(lastFrame() ?? '');
    expect(f).toContain('mmc');
    expect(f).toContain('seed 7');
    expect(f).toContain('replication 2/5');
    expect(f).toContain('1.23M events');
    expect(f).toContain('2.50M ev/s');
    // (1 + 8400/20000) / 5 = 28 % of the whole run.
    expect(f).toMatch(/ 28%/);
    expect(f).toMatch(/req\s+3\.20\s+1\.36s\s+7\.32s\s+0\.5%/);
    expect(f).toMatch(/server\s+4 [█░]+\s+80\.1%\s+2\.52\s+open/);
    expect(f).toContain('q stop (keep results) · p pause');
  });

  it('draws a budget breach in red and a met budget in green', () => {
    const view = smallView({
      journeys: [
        journey('play', { budget: 'fail', breaches: ['play.p99 < 400ms'] }),
        journey('search', { budget: 'pass' }),
      ],
    });
    const frame = render(<Dashboard view={view} width={80} height={24} />).lastFrame() ?? '';
    expect(frame).toContain('\x1b[31m');
    expect(colourOf(frame, '✗ FAIL')).toBe('red');
    expect(colourOf(frame, 'play ')).toBe('red');
    expect(colourOf(frame, '✓ pass')).toBe('green');
    expect(colourOf(frame, 'search')).toBeUndefined();
  });

  it('colours utilization by load and the breaker by state', () => {
    const view = smallView({
      services: [
        { name: 'calm', replicas: 1, utilization: 0.2, queue: 0 },
        { name: 'hot', replicas: 1, utilization: 0.95, queue: 9, breaker: 'half-open' },
      ],
    });
    const frame = render(<Dashboard view={view} width={80} height={24} />).lastFrame() ?? '';
    expect(colourOf(frame, 'half-open')).toBe('yellow');
    expect(colourOf(frame, '█', '\ncalm')).toBe('green');
    expect(colourOf(frame, '█', '\nhot')).toBe('red');
  });

  it('fits 80×24 even when every section is crowded', () => {
    const frame = stripAnsi(frameAt(<Dashboard view={crowdedView()} width={80} height={23} />, 80));
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const line of lines) expect(cells(line)).toBeLessThanOrEqual(80);
    expect(frame).toMatch(/… \d+ more journey/);
    expect(frame).toMatch(/… \d+ more service/);
    expect(frame).toContain('CDN hit 93.4%');
    expect(frame).toContain('P2P server 12.0%');
    // The newest fault comes first so truncation drops the oldest.
    expect(frame).toMatch(/faults ▲ 360s outage us-east/);
  });

  it('uses the room of a 200-column terminal for longer bars and sparklines', () => {
    const narrow = stripAnsi(frameAt(<Dashboard view={smallView()} width={80} height={24} />, 80));
    const wide = stripAnsi(frameAt(<Dashboard view={smallView()} width={200} height={50} />, 200));
    const barOf = (f: string) => (/server\s+4 ([█░]+)/.exec(f)?.[1] ?? '').length;
    expect(barOf(wide)).toBeGreaterThan(2 * barOf(narrow));
    for (const line of wide.split('\n')) expect(cells(line)).toBeLessThanOrEqual(200);
    expect(wide).toMatch(/req\s+3\.20\s+1\.36s\s+7\.32s/);
  });

  it('marks active faults and shows the paused state', () => {
    const view = smallView({
      status: 'paused',
      time: 250,
      faults: [{ at: 240, for: 120, label: 'crash stores.playlists ×2' }],
    });
    const frame = render(<Dashboard view={view} width={80} height={24} />).lastFrame() ?? '';
    expect(stripAnsi(frame)).toContain('▲ 240s crash stores.playlists ×2 (active)');
    expect(colourOf(frame, '▲ 240s')).toBe('red');
    expect(stripAnsi(frame)).toContain('PAUSED');
    expect(stripAnsi(frame)).toContain('p resume');
  });
});
