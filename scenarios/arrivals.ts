/**
 * Arrival processes: how users turn up. Written as a call in the scenario (`poisson(3k/s)`,
 * `ramp(0 -> 5k/s over 2m)`) and resolved here to numbers (rates per second, seconds).
 */

import { distMean } from '../math/moments.js';
import { type CallArg, isCall, parseCall } from './call.js';
import { type DistSpec, parseDist } from './distribution.js';
import { didYouMean, listOf } from './suggest.js';
import { parseCount, parseDuration, parseRate, parseShare } from './units.js';
import { ValueError } from './value-error.js';

/** Open arrivals with exponential inter-arrival times; `rate` in arrivals per second. */
export interface PoissonArrivals {
  kind: 'poisson';
  rate: number;
}

/** Poisson arrivals whose rate moves linearly from `from` to `to` over `over` seconds, then holds `to`. */
export interface RampArrivals {
  kind: 'ramp';
  from: number;
  to: number;
  over: number;
}

/** Poisson arrivals with a sinusoidal rate `mean × (1 + amplitude × sin(2πt / period))`. */
export interface DiurnalArrivals {
  kind: 'diurnal';
  mean: number;
  amplitude: number;
  period: number;
}

/** Poisson arrivals at `base`, jumping to `peak` from `at` for `for` seconds. */
export interface SpikeArrivals {
  kind: 'spike';
  base: number;
  peak: number;
  at: number;
  for: number;
}

/** A closed population: `users` each start a journey, think for `think`, and start the next. */
export interface ClosedArrivals {
  kind: 'closed';
  users: number;
  think: DistSpec;
}

/** Arrivals at the timestamps (seconds) listed in a CSV file; `file` is absolute after loading. */
export interface ReplayArrivals {
  kind: 'replay';
  file: string;
}

/** Every supported arrival process, discriminated by `kind`. */
export type Arrivals =
  | PoissonArrivals
  | RampArrivals
  | DiurnalArrivals
  | SpikeArrivals
  | ClosedArrivals
  | ReplayArrivals;

type Fail = (msg: string) => never;

/**
 * Users of a closed model beyond this would not run: each holds a pending event and its own state
 * (about 150 B: 1e6 users measured 159 MB peak), and 1e9 would need 150 GB.
 */
export const MAX_CLOSED_USERS = 1e6;

/**
 * A positive rate; a bare number borrows the unit of `unitFrom` so `1k -> 5k/s` reads as written.
 */
function readRate(text: string, fail: Fail, what: string, unitFrom?: string): number {
  if (text.startsWith('-')) fail(`${what} must not be negative`);
  const unit = unitFrom === undefined ? undefined : /\/\s*[A-Za-z]+$/.exec(unitFrom)?.[0];
  const borrowed = unit !== undefined && /^[\d.]+(?:[eE][+-]?\d+)?\s*[kMG]?$/.test(text) ? text + unit : text;
  return parseRate(borrowed);
}

/**
 * `0 -> 5k/s` → `[0, 5000]`. Shared by `ramp(…)` arrivals and the load section's ramp stages.
 * Throws {@link ValueError} when it is not two rates around `->`.
 */
export function parseRateRange(text: string): [from: number, to: number] {
  const fail: Fail = (msg) => {
    throw new ValueError(`bad ramp \`${text.trim()}\`: ${msg}`);
  };
  const parts = text.split('->');
  if (parts.length !== 2) fail('expected `from -> to`, e.g. `0 -> 5k/s`');
  const [a, b] = parts.map((p) => p.trim());
  if (a === '' || b === '') fail('expected `from -> to`, e.g. `0 -> 5k/s`');
  const to = readRate(b, fail, 'the end rate');
  return [readRate(a, fail, 'the start rate', b), to];
}

/** Named arguments of a call, refusing unknown, duplicate and positional ones. */
function namedArgs(
  args: CallArg[],
  known: readonly string[],
  usage: string,
  fail: Fail,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of args) {
    if (a.name === undefined) fail(`use named arguments: \`${usage}\``);
    if (!known.includes(a.name as string))
      fail(`unknown argument \`${a.name}\`${didYouMean(a.name as string, known)}; expected \`${usage}\``);
    if (out.has(a.name as string)) fail(`argument \`${a.name}\` given twice`);
    out.set(a.name as string, a.text);
  }
  return out;
}

function required(m: Map<string, string>, key: string, usage: string, fail: Fail): string {
  const v = m.get(key);
  if (v === undefined) fail(`missing \`${key}\`; expected \`${usage}\``);
  return v as string;
}

/** One parser per process name; each gets its call arguments. */
const PARSERS: Record<Arrivals['kind'], (args: CallArg[], fail: Fail) => Arrivals> = {
  poisson(args, fail) {
    if (args.length !== 1 || (args[0].name !== undefined && args[0].name !== 'rate')) {
      fail('expected `poisson(rate)`, e.g. `poisson(3k/s)`');
    }
    const text = args[0].text;
    // A negative rate would otherwise be reported as a unit problem; say what is wrong instead.
    if (text.startsWith('-')) fail('rate must be positive');
    const rate = parseRate(text);
    if (!(rate > 0)) fail('rate must be positive');
    return { kind: 'poisson', rate };
  },

  ramp(args, fail) {
    const usage = 'ramp(0 -> 5k/s over 2m)';
    let from: number;
    let to: number;
    let over: number;
    if (args.length === 1 && args[0].name === undefined) {
      const m = /^([\s\S]*?)\s+over\s+(\S+)$/.exec(args[0].text);
      if (m === null) return fail(`expected \`${usage}\``);
      [from, to] = parseRateRange(m[1]);
      over = parseDuration(m[2]);
    } else {
      const usageNamed = 'ramp(from: 0/s, to: 5k/s, over: 2m)';
      const a = namedArgs(args, ['from', 'to', 'over'], usageNamed, fail);
      to = readRate(required(a, 'to', usageNamed, fail), fail, 'to');
      from = readRate(required(a, 'from', usageNamed, fail), fail, 'from', a.get('to'));
      over = parseDuration(required(a, 'over', usageNamed, fail));
    }
    if (!(over > 0)) fail('`over` must be positive');
    if (!(from > 0 || to > 0)) fail('at least one of the rates must be positive');
    return { kind: 'ramp', from, to, over };
  },

  diurnal(args, fail) {
    const usage = 'diurnal(mean: 3k/s, amplitude: 50%, period: 24h)';
    const a = namedArgs(args, ['mean', 'amplitude', 'period'], usage, fail);
    const mean = readRate(required(a, 'mean', usage, fail), fail, 'mean');
    if (!(mean > 0)) fail('mean must be positive');
    const amplitude = parseShare(required(a, 'amplitude', usage, fail));
    const period = a.has('period') ? parseDuration(a.get('period') as string) : 86_400;
    if (!(period > 0)) fail('period must be positive');
    return { kind: 'diurnal', mean, amplitude, period };
  },

  spike(args, fail) {
    const usage = 'spike(base: 1k/s, peak: 5k/s, at: 2m, for: 30s)';
    const a = namedArgs(args, ['base', 'peak', 'at', 'for'], usage, fail);
    const base = readRate(required(a, 'base', usage, fail), fail, 'base');
    const peak = readRate(required(a, 'peak', usage, fail), fail, 'peak');
    if (!(peak > 0)) fail('peak must be positive');
    const at = parseDuration(required(a, 'at', usage, fail));
    const length = parseDuration(required(a, 'for', usage, fail));
    if (!(length > 0)) fail('`for` must be positive');
    return { kind: 'spike', base, peak, at, for: length };
  },

  closed(args, fail) {
    const usage = 'closed(users: 500, think: exp(5s))';
    const a = namedArgs(args, ['users', 'think'], usage, fail);
    const users = parseCount(required(a, 'users', usage, fail));
    if (users > MAX_CLOSED_USERS)
      fail(`users must be at most 1e6, got ${a.get('users')}: per-user state would not fit in memory`);
    if (!(Number.isSafeInteger(users) && users >= 1)) fail('users must be a whole number ≥ 1');
    const think = parseDist(required(a, 'think', usage, fail), { unit: 'duration' });
    return { kind: 'closed', users, think };
  },

  replay(args, fail) {
    if (args.length !== 1 || (args[0].name !== undefined && args[0].name !== 'file'))
      fail('expected `replay(file.csv)`, a CSV of arrival times in seconds');
    const file = args[0].text.replace(/^(['"])(.*)\1$/, '$2').trim();
    if (file === '') fail('expected `replay(file.csv)`, a CSV of arrival times in seconds');
    return { kind: 'replay', file };
  },
};

const NAMES = Object.keys(PARSERS);

/** Parses an arrival process such as `poisson(3.2/s)`; throws {@link ValueError} on bad input. */
export function parseArrivals(text: string): Arrivals {
  const whole = text.trim();
  const fail: Fail = (msg) => {
    throw new ValueError(`bad arrivals \`${whole}\`: ${msg}`);
  };
  if (!isCall(whole)) return fail('expected a process like `poisson(3k/s)`');
  const call = parseCall(whole);
  if (!Object.hasOwn(PARSERS, call.name)) {
    const hint = didYouMean(call.name, NAMES) || `; expected one of ${listOf(NAMES)}`;
    throw new ValueError(`unknown arrival process \`${call.name}\`${hint}`);
  }
  return PARSERS[call.name as Arrivals['kind']](call.args, fail);
}

/**
 * The highest sustained arrival rate of a process (per second), used for capacity and size checks:
 * the held rate of a ramp, the crest of a diurnal wave, the peak of a spike, every closed user
 * starting a journey per mean think time (an upper bound). `undefined` for replays (the file decides).
 */
export function peakRate(a: Arrivals): number | undefined {
  switch (a.kind) {
    case 'poisson':
      return a.rate;
    case 'ramp':
      return Math.max(a.from, a.to);
    case 'diurnal':
      return a.mean * (1 + a.amplitude);
    case 'spike':
      return Math.max(a.base, a.peak);
    case 'closed':
      return a.users / distMean(a.think);
    case 'replay':
      return undefined;
  }
}
