/**
 * Checks of sizes a run cannot hold: too many concurrent requests for memory, too many arrivals to
 * finish, and autoscale bounds that contradict the replica count.
 */
import { peakRate } from './arrivals.js';
import { type Ctx, isRecord, num, type Rec, recordOf } from './raw-values.js';
import { MAX_CONCURRENCY } from './service.js';
import { formatDuration } from './units.js';

/** Events (arrivals) per replication beyond this are refused: the run would not finish. */
export const MAX_ARRIVALS = 1e11;

/** `n` short enough for a message: exponent notation from a million up. */
const big = (n: number) => (n >= 1e6 ? n.toExponential(1).replace('e+', 'e') : String(Math.round(n)));

/** Sizes that would exhaust memory or never finish, refused with the numbers. */
export function checkSizes(value: Rec, ctx: Ctx): void {
  for (const [name, def] of Object.entries(recordOf(value.services))) {
    const s = recordOf(def);
    const workers = num(s.workers);
    const replicas = Math.max(num(s.replicas) ?? 0, num(recordOf(s.autoscale).max) ?? 0);
    if (workers !== undefined && replicas > 0 && replicas * workers > MAX_CONCURRENCY)
      ctx.addIssue({
        code: 'custom',
        path: ['services', name, 'workers'],
        message: `\`${name}\` has ${big(replicas)} replicas × ${big(workers)} workers = ${big(replicas * workers)} concurrent requests; more than 1e7 would not fit in memory`,
      });
    const auto = recordOf(s.autoscale);
    const min = num(auto.min);
    const max = num(auto.max);
    const r = num(s.replicas);
    if (min !== undefined && max !== undefined) {
      if (min > max)
        ctx.addIssue({
          code: 'custom',
          path: ['services', name, 'autoscale', 'min'],
          message: `autoscale min (${min}) is above max (${max})`,
        });
      else if (r !== undefined && (r < min || r > max))
        ctx.addIssue({
          code: 'custom',
          path: ['services', name, 'replicas'],
          message: `replicas (${r}) must lie between autoscale min (${min}) and max (${max})`,
        });
    }
  }
  const users = recordOf(value.users);
  const arrivals = users.arrivals;
  const total = num(value.duration);
  if (isRecord(arrivals) && typeof arrivals.kind === 'string' && total !== undefined) {
    const rate = peakRate(arrivals as unknown as Parameters<typeof peakRate>[0]);
    if (rate !== undefined && rate * total > MAX_ARRIVALS)
      ctx.addIssue({
        code: 'custom',
        path: ['users', 'arrivals'],
        message: `${big(rate)}/s for ${formatDuration(total)} means about ${big(rate * total)} arrivals per replication; more than 1e11 would not finish — shorten \`duration\` or lower the rate`,
      });
  }
}
