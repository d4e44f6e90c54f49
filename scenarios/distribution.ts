/**
 * Distribution specs: what a scenario's `exp(1ms)` or `lognormal(median: 2ms, p99: 12ms)` means,
 * resolved to plain numbers (seconds for times) at load time. Sampling lives in `sim/kernel/`.
 */

import type { DistSpec } from '../math/dist-spec.js';
import { type CallArg, isCall, parseCall } from './call.js';
import { closest, didYouMean, listOf } from './suggest.js';
import { parseCount, parseDuration, parseSize } from './units.js';
import { ValueError } from './value-error.js';

export type { DistSpec };

/** What the distribution produces, which decides how its numeric arguments are read. */
export type DistUnit = 'duration' | 'size' | 'count';

/** The standard normal quantile at 0.99, used to turn a p99 into a lognormal sigma. */
const Z99 = 2.3263478740408408;

/**
 * How an argument is read: `value` in the distribution's unit (durations → seconds), `plain` as a
 * unitless number (shapes, exponents), `values` as a list in the distribution's unit.
 */
type ArgKind = 'value' | 'plain' | 'values';
type Args = Record<string, number | number[]>;

/** One accepted spelling of a distribution's arguments. */
interface Form {
  params: readonly (readonly [name: string, kind: ArgKind])[];
  /** Positional use is refused when two forms of the same arity would be ambiguous. */
  positional: boolean;
  build(a: Args, fail: (msg: string) => never): DistSpec;
}

const num = (a: Args, k: string) => a[k] as number;

function positive(a: Args, fail: (msg: string) => never, ...keys: string[]): void {
  for (const k of keys) if (!(num(a, k) > 0)) fail(`${k} must be positive`);
}

const FORMS: Record<DistSpec['kind'], readonly Form[]> = {
  const: [
    {
      params: [['value', 'value']],
      positional: true,
      build: (a) => ({ kind: 'const', value: num(a, 'value') }),
    },
  ],
  uniform: [
    {
      params: [
        ['min', 'value'],
        ['max', 'value'],
      ],
      positional: true,
      build: (a, fail) => {
        if (num(a, 'min') > num(a, 'max')) fail('min must not exceed max');
        return { kind: 'uniform', min: num(a, 'min'), max: num(a, 'max') };
      },
    },
  ],
  exp: [
    {
      params: [['mean', 'value']],
      positional: true,
      build: (a, fail) => {
        positive(a, fail, 'mean');
        return { kind: 'exp', mean: num(a, 'mean') };
      },
    },
  ],
  normal: [
    {
      params: [
        ['mean', 'value'],
        ['sd', 'value'],
      ],
      positional: true,
      build: (a, fail) => {
        positive(a, fail, 'sd');
        return { kind: 'normal', mean: num(a, 'mean'), sd: num(a, 'sd') };
      },
    },
  ],
  lognormal: [
    {
      params: [
        ['median', 'value'],
        ['p99', 'value'],
      ],
      positional: false,
      build: (a, fail) => {
        positive(a, fail, 'median');
        if (!(num(a, 'p99') > num(a, 'median'))) fail('p99 must exceed median');
        const mu = Math.log(num(a, 'median'));
        return { kind: 'lognormal', mu, sigma: (Math.log(num(a, 'p99')) - mu) / Z99 };
      },
    },
    {
      params: [
        ['mu', 'plain'],
        ['sigma', 'plain'],
      ],
      positional: false,
      build: (a, fail) => {
        positive(a, fail, 'sigma');
        return { kind: 'lognormal', mu: num(a, 'mu'), sigma: num(a, 'sigma') };
      },
    },
  ],
  gamma: [
    {
      params: [
        ['shape', 'plain'],
        ['scale', 'value'],
      ],
      positional: true,
      build: (a, fail) => {
        positive(a, fail, 'shape', 'scale');
        return { kind: 'gamma', shape: num(a, 'shape'), scale: num(a, 'scale') };
      },
    },
    {
      params: [
        ['mean', 'value'],
        ['cv', 'plain'],
      ],
      positional: false,
      build: (a, fail) => {
        positive(a, fail, 'mean', 'cv');
        // cv² = 1/shape and mean = shape·scale.
        const cv2 = num(a, 'cv') ** 2;
        return { kind: 'gamma', shape: 1 / cv2, scale: num(a, 'mean') * cv2 };
      },
    },
  ],
  weibull: [
    {
      params: [
        ['shape', 'plain'],
        ['scale', 'value'],
      ],
      positional: true,
      build: (a, fail) => {
        positive(a, fail, 'shape', 'scale');
        return { kind: 'weibull', shape: num(a, 'shape'), scale: num(a, 'scale') };
      },
    },
  ],
  pareto: [
    {
      params: [
        ['scale', 'value'],
        ['shape', 'plain'],
      ],
      positional: true,
      build: (a, fail) => {
        positive(a, fail, 'scale', 'shape');
        return { kind: 'pareto', scale: num(a, 'scale'), shape: num(a, 'shape') };
      },
    },
  ],
  zipf: [
    {
      params: [['s', 'plain']],
      positional: true,
      // n = 0 means "the context sets it" (e.g. the catalog's item count).
      build: (a, fail) => {
        positive(a, fail, 's');
        return { kind: 'zipf', s: num(a, 's'), n: 0 };
      },
    },
    {
      params: [
        ['s', 'plain'],
        ['n', 'plain'],
      ],
      positional: true,
      build: (a, fail) => {
        positive(a, fail, 's');
        if (!(Number.isInteger(num(a, 'n')) && num(a, 'n') >= 1)) fail('n must be a whole number ≥ 1');
        return { kind: 'zipf', s: num(a, 's'), n: num(a, 'n') };
      },
    },
  ],
  empirical: [
    {
      params: [['values', 'values']],
      positional: true,
      build: (a, fail) => {
        const values = a.values as number[];
        if (values.length === 0) fail('needs at least one value');
        return { kind: 'empirical', values };
      },
    },
  ],
};

const NAMES = Object.keys(FORMS);

function signature(name: string, form: Form): string {
  return `${name}(${form.params.map(([p]) => (form.positional ? p : `${p}: …`)).join(', ')})`;
}

function readValue(text: string, unit: DistUnit): number {
  if (unit === 'duration') return parseDuration(text);
  if (unit === 'size') return parseSize(text);
  return parseCount(text);
}

/** Picks the form the arguments were written for, or explains why none fits. */
function chooseForm(name: string, forms: readonly Form[], args: CallArg[], fail: (m: string) => never): Form {
  const named = args.filter((a) => a.name !== undefined);
  const spellings = forms.map((f) => `\`${signature(name, f)}\``).join(' or ');
  if (named.length === 0) {
    const form = forms.find((f) => f.positional && f.params.length === args.length);
    if (form) return form;
    if (!forms.some((f) => f.positional)) fail(`${name} needs named arguments: ${spellings}`);
    const n = args.length;
    fail(`expected ${spellings}, got ${n} argument${n === 1 ? '' : 's'}`);
  }
  if (named.length !== args.length) fail('use either positional or named arguments, not both');
  const given = named.map((a) => a.name as string);
  const dup = given.find((g, i) => given.indexOf(g) !== i);
  if (dup !== undefined) fail(`argument \`${dup}\` given twice`);
  const known = [...new Set(forms.flatMap((f) => f.params.map(([p]) => p)))];
  const unknown = given.find((g) => !known.includes(g));
  if (unknown !== undefined)
    fail(`unknown argument \`${unknown}\`${didYouMean(unknown, known)}; expected ${spellings}`);
  const form = forms.find(
    (f) => f.params.length === given.length && f.params.every(([p]) => given.includes(p)),
  );
  if (form === undefined) fail(`expected ${spellings}`);
  return form;
}

/**
 * Parses a distribution such as `exp(1ms)`, `lognormal(median: 2ms, p99: 12ms)` or
 * `empirical([1ms, 2ms, 5ms])` into a {@link DistSpec}. Arguments in the distribution's unit are
 * converted (durations to seconds, sizes to bytes); shapes and exponents are plain numbers. A bare
 * value (`3ms`) means `const(3ms)`. Throws {@link ValueError} with a human message on bad input.
 */
export function parseDist(text: string, opts: { unit: DistUnit }): DistSpec {
  const whole = text.trim();
  const fail = (msg: string): never => {
    throw new ValueError(`bad distribution \`${whole}\`: ${msg}`);
  };
  if (!isCall(whole)) {
    // A bare word is a distribution name missing its arguments, not a malformed number.
    if (/^[A-Za-z_]\w*$/.test(whole)) {
      const name = closest(whole, NAMES) ?? 'exp';
      return fail(`expected arguments, e.g. \`${signature(name, FORMS[name as DistSpec['kind']][0])}\``);
    }
    return { kind: 'const', value: readValue(whole, opts.unit) };
  }
  const call = parseCall(whole);
  if (!Object.hasOwn(FORMS, call.name)) {
    const hint = didYouMean(call.name, NAMES) || `; expected one of ${listOf(NAMES)}`;
    throw new ValueError(`unknown distribution \`${call.name}\`${hint}`);
  }
  const forms = FORMS[call.name as DistSpec['kind']];
  const form = chooseForm(call.name, forms, call.args, fail);
  const args: Args = {};
  form.params.forEach(([param, kind], i) => {
    const arg = call.args.find((a) => a.name === param) ?? call.args[i];
    if (kind === 'values') {
      if (arg.list === undefined) fail(`${param} must be a list like \`[1ms, 2ms]\``);
      args[param] = (arg.list ?? []).map((v) => readValue(v, opts.unit));
    } else {
      if (arg.list !== undefined) fail(`${param} must be a single value, not a list`);
      args[param] = kind === 'plain' ? parseCount(arg.text) : readValue(arg.text, opts.unit);
    }
  });
  return form.build(args, fail);
}
