/**
 * Long names are cut in the middle, so `recommendations` and `recommendations-v2` stay apart (issue 14).
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { padName } from '../../cli/dashboard/glyphs.js';
import { JourneyTable } from '../../cli/dashboard/JourneyTable.js';
import { layout } from '../../cli/dashboard/layout.js';

describe('padName', () => {
  it('keeps both ends of a name too long for its column', () => {
    expect(padName('recommendations', 12)).toBe('recomm…tions');
    expect(padName('recommendations-v2', 12)).toBe('recomm…ns-v2');
    expect(padName('play', 12)).toBe('play        ');
    expect(padName('abcdef', 6)).toBe('abcdef');
    expect(padName('abcdefg', 6)).toBe('abc…fg');
    expect(padName('abcdef', 2)).toBe('a…');
  });
});

describe('JourneyTable', () => {
  it('shows two long journey names that share a prefix apart in its frame', () => {
    const view = (name: string) => ({
      name,
      throughput: 10,
      p50: 1,
      p99: 2,
      errorRate: 0,
      count: 100,
      budget: 'none' as const,
      breaches: [],
      history: { throughput: [], p99: [], errors: [] },
    });
    const l = layout(80, 24, { journeys: 2, services: 0, budgets: 0, extras: 0 });
    const { lastFrame } = render(
      <JourneyTable
        journeys={[view('recommendations-eu'), view('recommendations-us')]}
        layout={{ ...l, name: 12 }}
      />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('recomm…ns-eu');
    expect(frame).toContain('recomm…ns-us');
  });
});
