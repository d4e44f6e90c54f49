/**
 * Parsing of shared command-line values into typed numbers, with usage errors that say what is wrong.
 */
import { UsageError } from '../results/errors.js';

/** A non-negative integer option such as `--seed 7`. */
export function intOption(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} expects an integer ≥ ${min}, got \`${value}\``);
  return n;
}
