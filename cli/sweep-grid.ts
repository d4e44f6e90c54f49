/**
 * The grid of a sweep: `--vary key=v1,v2,v3` lists values; `--vary 'key=a..b:n'` interpolates every
 * number inside the expressions `a` and `b` linearly over `n` points, so
 * `poisson(1k/s)..poisson(8k/s):8` gives `poisson(1k/s)`, `poisson(2k/s)`, …, `poisson(8k/s)`.
 */
import { UsageError } from '../results/errors.js';
import type { SweepVary } from '../results/sweep.js';

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Splits on `sep` outside parentheses and brackets: `poisson(1k/s),exp(2, 3)` → two values. */
export function splitTopLevel(text: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

/** A number written briefly: at most 6 significant digits, no trailing zeros. */
export function formatNumber(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** `n` expressions from `a` to `b`, interpolating each number they contain. */
export function interpolate(a: string, b: string, n: number): string[] {
  const skeleton = (s: string) => s.replace(NUMBER, '#');
  if (skeleton(a) !== skeleton(b)) {
    throw new UsageError(
      `range \`${a}..${b}\`: both ends must be the same expression with different numbers`,
    );
  }
  const na = (a.match(NUMBER) ?? []).map(Number);
  const nb = (b.match(NUMBER) ?? []).map(Number);
  if (na.length === 0) throw new UsageError(`range \`${a}..${b}\`: there is no number to vary`);
  const parts = a.split(NUMBER);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = n === 1 ? 0 : i / (n - 1);
    let s = parts[0];
    na.forEach((x, k) => {
      s += formatNumber(x + (nb[k] - x) * f) + parts[k + 1];
    });
    out.push(s);
  }
  return out;
}

/** Parses one `--vary`. Throws {@link UsageError} when malformed. */
export function parseVary(raw: string): SweepVary {
  const eq = raw.indexOf('=');
  const key = eq > 0 ? raw.slice(0, eq).trim() : '';
  const spec = eq > 0 ? raw.slice(eq + 1).trim() : '';
  if (!key || !spec)
    throw new UsageError(
      `expected \`--vary key=v1,v2\` or \`--vary key=a..b:n\`, got \`${raw}\` (e.g. --vary services.server.workers=2,4,8)`,
    );
  const range = /^(.+?)\.\.(.+):(\d+)$/.exec(spec);
  if (range && !spec.includes(',')) {
    const n = Number(range[3]);
    if (n < 1 || n > 1000) throw new UsageError(`--vary ${key}: a range needs 1 to 1000 points, got ${n}`);
    return { key, values: interpolate(range[1].trim(), range[2].trim(), n) };
  }
  const values = splitTopLevel(spec).filter((v) => v !== '');
  if (values.length === 0) throw new UsageError(`--vary ${key}: no values`);
  return { key, values };
}

/** Every combination of the varied values, the first key changing slowest. */
export function grid(vary: readonly SweepVary[]): Record<string, string>[] {
  let points: Record<string, string>[] = [{}];
  for (const v of vary) points = points.flatMap((p) => v.values.map((value) => ({ ...p, [v.key]: value })));
  return points;
}

/**
 * The seed of one point: a hash of the base seed and the point's overrides, so a point's numbers
 * depend only on what it is, never on its position in the grid or on which worker ran it.
 */
export function pointSeed(base: number, overrides: Record<string, string>): number {
  const text = `${base}|${Object.entries(overrides)
    .map(([k, v]) => `${k}=${v}`)
    .join(';')}`;
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}
