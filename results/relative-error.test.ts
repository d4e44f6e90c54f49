import { describe, expect, it } from 'vitest';
import { formatRelativeError, relativeError } from './relative-error.js';

describe('relative error of a prediction', () => {
  it('is (predicted − measured) ÷ measured: a slow twin gives a negative error', () => {
    expect(relativeError(512.8, 523.5)).toBeCloseTo(-0.020439, 6);
    expect(formatRelativeError(512.8, 523.5)).toBe('-2.0 %');
    expect(formatRelativeError(110, 100)).toBe('+10.0 %');
  });

  it('is undefined against a measured 0 unless both are 0', () => {
    expect(relativeError(5, 0)).toBeNaN();
    expect(formatRelativeError(5, 0)).toBe('–');
    expect(formatRelativeError(0, 0)).toBe('0 %');
    expect(formatRelativeError(Number.NaN, 3)).toBe('–');
  });
});
