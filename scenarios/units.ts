/**
 * Units of the scenario language. Everything is converted at load time to one base unit per kind so
 * the simulator and load drivers never see a string: seconds, requests per second, bytes, shares in
 * 0..1 and plain numbers for counts.
 */
import { ValueError } from './value-error.js';

/** A decimal number: `3`, `1.5`, `.5`, `2e3`. Signs are accepted here and rejected per kind below. */
const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const BARE = new RegExp(`^${NUMBER}$`);
const WITH_UNIT = new RegExp(`^(${NUMBER})\\s*([A-Za-zµμ]+)$`);
const RATE = new RegExp(`^(${NUMBER})\\s*([kMG]?)\\s*/\\s*([A-Za-z]+)$`);
const SHARE = new RegExp(`^(${NUMBER})\\s*%$`);
const COUNT = new RegExp(`^(${NUMBER})\\s*([kMG]?)$`);

/**
 * Seconds per time unit. Sub-second units are stored as divisors because `250 / 1e6` rounds to the
 * same double as the literal `0.00025`, whereas `250 * 1e-6` does not.
 */
const TIME_UNITS: Record<string, { mul?: number; div?: number }> = {
  us: { div: 1e6 },
  µs: { div: 1e6 },
  μs: { div: 1e6 },
  ms: { div: 1e3 },
  s: { mul: 1 },
  m: { mul: 60 },
  min: { mul: 60 },
  h: { mul: 3600 },
};

/** Bytes per size unit: decimal (kB = 1000 B) as written on the box, binary with the `i`. */
const SIZE_UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/** Multipliers of the count suffixes. */
const COUNT_SUFFIX: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9 };

function applyTime(value: number, unit: string): number | undefined {
  const u = TIME_UNITS[unit];
  if (u === undefined) return undefined;
  return u.div !== undefined ? value / u.div : value * (u.mul ?? 1);
}

function finite(n: number, what: string, text: string): number {
  if (!Number.isFinite(n)) throw new ValueError(`bad ${what} \`${text}\`: the number is too large`);
  return n;
}

/**
 * A duration in seconds: `250us`, `3ms`, `1.5s`, `5m`, `1h`, `20000s`. A bare number is refused
 * because `20000` could mean seconds or milliseconds; only `0` needs no unit.
 */
export function parseDuration(text: string | number): number {
  const t = String(text).trim();
  if (BARE.test(t)) {
    if (Number(t) === 0) return 0;
    throw new ValueError(`bad duration \`${t}\`: missing unit, e.g. \`${t}s\``);
  }
  const m = WITH_UNIT.exec(t);
  const seconds = m ? applyTime(Number(m[1]), m[2]) : undefined;
  if (m === null || seconds === undefined) {
    throw new ValueError(`bad duration \`${t}\`: expected a number and a unit (us, ms, s, m, h)`);
  }
  if (seconds < 0) throw new ValueError(`bad duration \`${t}\`: must not be negative`);
  return finite(seconds, 'duration', t);
}

/** A rate in events per second: `3k/s`, `120/min`, `3.2/s`, `10/h`. */
export function parseRate(text: string | number): number {
  const t = String(text).trim();
  if (BARE.test(t)) {
    if (Number(t) === 0) return 0;
    throw new ValueError(`bad rate \`${t}\`: missing unit, e.g. \`${t}/s\``);
  }
  const m = RATE.exec(t);
  const per = m ? applyTime(1, m[3]) : undefined;
  if (m === null || per === undefined || per === 0) {
    throw new ValueError(`bad rate \`${t}\`: expected a number per time unit, e.g. \`3k/s\` or \`120/min\``);
  }
  const rate = (Number(m[1]) * COUNT_SUFFIX[m[2]]) / per;
  if (rate < 0) throw new ValueError(`bad rate \`${t}\`: must not be negative`);
  return finite(rate, 'rate', t);
}

/** A size in bytes: `512B`, `16kB` (decimal, 16 000 B), `4MB`, `2TB`, or binary `4MiB`. */
export function parseSize(text: string | number): number {
  const t = String(text).trim();
  if (BARE.test(t)) {
    if (Number(t) === 0) return 0;
    throw new ValueError(`bad size \`${t}\`: missing unit, e.g. \`${t}B\``);
  }
  const m = WITH_UNIT.exec(t);
  const mul = m ? SIZE_UNITS[m[2]] : undefined;
  if (m === null || mul === undefined) {
    throw new ValueError(`bad size \`${t}\`: expected a number and a unit (B, kB, MB, GB, TB)`);
  }
  const bytes = Number(m[1]) * mul;
  if (bytes < 0) throw new ValueError(`bad size \`${t}\`: must not be negative`);
  return finite(bytes, 'size', t);
}

/** A share in 0..1 written as a percentage: `65%` → 0.65, `0.5%` → 0.005. */
export function parseShare(text: string | number): number {
  const t = String(text).trim();
  if (BARE.test(t)) {
    if (Number(t) === 0) return 0;
    // 0.65 or 65? Refuse to guess.
    throw new ValueError(`bad share \`${t}\`: missing \`%\`, e.g. \`65%\``);
  }
  const m = SHARE.exec(t);
  if (m === null) throw new ValueError(`bad share \`${t}\`: expected a percentage like \`65%\``);
  const pct = Number(m[1]);
  if (!(pct >= 0 && pct <= 100)) throw new ValueError(`bad share \`${t}\`: must be between 0% and 100%`);
  return pct / 100;
}

/** A plain number, optionally with a suffix: `42`, `2k`, `10M`, `1.5G`. Signs are kept. */
export function parseCount(text: string | number): number {
  if (typeof text === 'number') return finite(text, 'count', String(text));
  const t = text.trim();
  const m = COUNT.exec(t);
  if (m === null) {
    throw new ValueError(`bad count \`${t}\`: expected a number like \`42\`, \`2k\`, \`10M\` or \`1.5G\``);
  }
  return finite(Number(m[1]) * COUNT_SUFFIX[m[2]], 'count', t);
}

/** Seconds written back in the most readable unit, for messages (`0.002` → `2ms`). */
export function formatDuration(seconds: number): string {
  const round = (x: number) => Number(x.toPrecision(6));
  if (seconds === 0 || seconds >= 1) return `${round(seconds)}s`;
  if (seconds >= 1e-3) return `${round(seconds * 1e3)}ms`;
  return `${round(seconds * 1e6)}us`;
}
