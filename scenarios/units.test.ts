import { describe, expect, it } from 'vitest';
import { formatDuration, parseCount, parseDuration, parseRate, parseShare, parseSize } from './units.js';
import { ValueError } from './value-error.js';

describe('parseDuration', () => {
  it.each([
    ['250us', 0.00025],
    ['3ms', 0.003],
    ['1.5s', 1.5],
    ['5m', 300],
    ['1h', 3600],
    ['20000s', 20000],
    ['0', 0],
    [0, 0],
    ['.5s', 0.5],
    ['2 ms', 0.002],
  ])('reads %j as %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it('refuses a bare number and suggests the unit', () => {
    expect(() => parseDuration('20000')).toThrow(
      new ValueError('bad duration `20000`: missing unit, e.g. `20000s`'),
    );
    expect(() => parseDuration(5)).toThrow('bad duration `5`: missing unit, e.g. `5s`');
  });

  it('names the accepted units for an unknown one', () => {
    expect(() => parseDuration('3 parsecs')).toThrow(
      'bad duration `3 parsecs`: expected a number and a unit (us, ms, s, m, h)',
    );
    expect(() => parseDuration('fast')).toThrow(
      'bad duration `fast`: expected a number and a unit (us, ms, s, m, h)',
    );
  });

  it('refuses negative durations', () => {
    expect(() => parseDuration('-1s')).toThrow('bad duration `-1s`: must not be negative');
  });

  it('throws a ValueError', () => {
    expect(() => parseDuration('x')).toThrow(ValueError);
  });
});

describe('parseRate', () => {
  it.each([
    ['3k/s', 3000],
    ['120/min', 2],
    ['3.2/s', 3.2],
    ['10/h', 10 / 3600],
    ['6/m', 0.1],
    ['2/ms', 2000],
    ['0/s', 0],
  ])('reads %j as %d per second', (text, rate) => {
    expect(parseRate(text)).toBe(rate);
  });

  it('refuses a bare number and a unit that is not time', () => {
    expect(() => parseRate('5')).toThrow('bad rate `5`: missing unit, e.g. `5/s`');
    expect(() => parseRate('5/kg')).toThrow(
      'bad rate `5/kg`: expected a number per time unit, e.g. `3k/s` or `120/min`',
    );
  });

  it('refuses negative rates', () => {
    expect(() => parseRate('-3/s')).toThrow('bad rate `-3/s`: must not be negative');
  });
});

describe('parseSize', () => {
  it.each([
    ['512B', 512],
    ['16kB', 16_000],
    ['4MB', 4_000_000],
    ['2TB', 2e12],
    ['1.5GB', 1.5e9],
    ['4MiB', 4 * 1024 * 1024],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('explains bad sizes', () => {
    expect(() => parseSize('4')).toThrow('bad size `4`: missing unit, e.g. `4B`');
    expect(() => parseSize('4 megs')).toThrow(
      'bad size `4 megs`: expected a number and a unit (B, kB, MB, GB, TB)',
    );
  });
});

describe('parseShare', () => {
  it.each([
    ['65%', 0.65],
    ['0.5%', 0.005],
    ['100%', 1],
    ['0%', 0],
  ])('reads %j as %d', (text, share) => {
    expect(parseShare(text)).toBe(share);
  });

  it('refuses numbers without % and out-of-range shares', () => {
    expect(() => parseShare('0.65')).toThrow('bad share `0.65`: missing `%`, e.g. `65%`');
    expect(() => parseShare('150%')).toThrow('bad share `150%`: must be between 0% and 100%');
    expect(() => parseShare('lots')).toThrow('bad share `lots`: expected a percentage like `65%`');
  });
});

describe('parseCount', () => {
  it.each([
    ['10M', 10_000_000],
    ['2k', 2000],
    ['1.5G', 1_500_000_000],
    ['42', 42],
    [7, 7],
    ['-3', -3],
  ])('reads %j as %d', (text, n) => {
    expect(parseCount(text)).toBe(n);
  });

  it('explains bad counts', () => {
    expect(() => parseCount('ten')).toThrow(
      'bad count `ten`: expected a number like `42`, `2k`, `10M` or `1.5G`',
    );
    expect(() => parseCount('2K')).toThrow(ValueError);
    expect(() => parseCount(Number.POSITIVE_INFINITY)).toThrow(
      'bad count `Infinity`: the number is too large',
    );
  });
});

describe('formatDuration', () => {
  it('picks a readable unit', () => {
    expect([formatDuration(1000), formatDuration(0.002), formatDuration(0.00025), formatDuration(0)]).toEqual(
      ['1000s', '2ms', '250us', '0s'],
    );
  });
});
