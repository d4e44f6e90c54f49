import { describe, expect, it } from 'vitest';
import { closest, didYouMean, levenshtein } from './suggest.js';

describe('suggestions', () => {
  it('measures edit distance', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('suggests within distance 2 or on a prefix', () => {
    expect(closest('replica', ['replicas', 'workers', 'queue', 'time'])).toBe('replicas');
    expect(closest('sever', ['server', 'gateway'])).toBe('server');
    expect(closest('serv', ['services', 'seed'])).toBe('services');
    expect(closest('banana', ['replicas', 'workers'])).toBeUndefined();
  });

  it('formats the hint or nothing', () => {
    expect(didYouMean('wrokers', ['workers'])).toBe('; did you mean `workers`?');
    expect(didYouMean('zzz', ['workers'])).toBe('');
  });
});
