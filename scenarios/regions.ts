/**
 * Regions and the network between them: the share of users in each region, and one-way latencies
 * (`intra` inside a region, `eu-west<->us-east: 38ms` between two, symmetric).
 */
import * as z from 'zod';
import { named, parsed, section, share } from './fields.js';
import { didYouMean } from './suggest.js';
import { parseDuration, parseShare } from './units.js';
import { ValueError } from './value-error.js';

/** A region: the share of users who live there. */
export const RegionSchema = section('region', {
  users: share('users'),
});

/** The implicit region of a scenario that declares none. */
export const DEFAULT_REGION = 'default';

/** `eu-west<->us-east` → the two regions, or undefined when the key is not a pair. */
export function splitPair(key: string): [string, string] | undefined {
  const m = /^\s*([A-Za-z0-9_-]+)\s*<->\s*([A-Za-z0-9_-]+)\s*$/.exec(key);
  return m ? [m[1], m[2]] : undefined;
}

/** One-way latency between two regions. */
export interface LatencyPair {
  a: string;
  b: string;
  oneWay: number;
}

/** The network: `intra` and `jitter` (a share of each one-way latency) and the pairs. */
export interface Latency {
  intra: number;
  jitter: number;
  pairs: LatencyPair[];
}

const FIXED = ['intra', 'jitter'];

/** The `latency` mapping: fixed keys plus `a<->b` pairs. */
export const LatencySchema = z
  .record(
    z.string(),
    parsed('expected a duration like `38ms`', (v) => v),
    { error: 'expected a mapping for `latency`, e.g. `{ intra: 0.5ms, eu-west<->us-east: 38ms }`' },
  )
  .transform((raw, ctx): Latency => {
    const out: Latency = { intra: 0, jitter: 0, pairs: [] };
    const seen = new Map<string, string>();
    for (const [key, value] of Object.entries(raw)) {
      const fail = (message: string, atKey = false) => {
        ctx.addIssue({ code: 'custom', path: [key], message, params: { atKey } });
      };
      try {
        if (key === 'intra') out.intra = parseDuration(value);
        else if (key === 'jitter') out.jitter = parseShare(value);
        else {
          const pair = splitPair(key);
          if (pair === undefined) {
            const hint = didYouMean(key, FIXED);
            fail(
              `unknown key \`${key}\`${hint}${hint ? '' : '; expected `intra`, `jitter` or a pair like `eu-west<->us-east`'}`,
              true,
            );
            continue;
          }
          const [a, b] = pair;
          if (a === b) {
            fail(`\`${key}\` joins a region to itself; use \`intra\` for latency inside a region`, true);
            continue;
          }
          const id = [a, b].sort().join('<->');
          if (seen.has(id)) {
            fail(`\`${key}\` is given twice (also as \`${seen.get(id)}\`)`, true);
            continue;
          }
          seen.set(id, key);
          out.pairs.push({ a, b, oneWay: parseDuration(value) });
        }
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        fail(e.message);
      }
    }
    return out;
  });

/** The `regions` mapping. */
export const RegionsSchema = named('region', RegionSchema);
