import { describe, expect, it } from 'vitest';
import { TimeWeighted } from './time-weighted.js';

describe('TimeWeighted', () => {
  it('averages a level over time', () => {
    const tw = new TimeWeighted(0);
    tw.add(2, 0); // 2 from 0..1
    tw.add(-1, 1); // 1 from 1..4
    expect(tw.mean(4)).toBeCloseTo((2 * 1 + 1 * 3) / 4, 12);
  });

  it('forgets history before a reset but keeps the current level', () => {
    const tw = new TimeWeighted(0);
    tw.add(5, 0);
    tw.reset(10);
    tw.add(-5, 12);
    expect(tw.mean(14)).toBeCloseTo((5 * 2) / 4, 12);
  });
});
