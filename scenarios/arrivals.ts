/**
 * Arrival processes: how users turn up. Written as a call in the scenario (`poisson(3k/s)`) and
 * resolved here to numbers (rates per second).
 */
import { type CallArg, isCall, parseCall } from './call.js';
import { didYouMean, listOf } from './suggest.js';
import { parseRate } from './units.js';
import { ValueError } from './value-error.js';

/** Open arrivals with exponential inter-arrival times; `rate` in arrivals per second. */
export interface PoissonArrivals {
  kind: 'poisson';
  rate: number;
}

/**
 * Every supported arrival process, discriminated by `kind`. New processes (`ramp`, `diurnal`,
 * `spike`, `closed`) join this union and the {@link PARSERS} table.
 */
export type Arrivals = PoissonArrivals;

type Fail = (msg: string) => never;

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
