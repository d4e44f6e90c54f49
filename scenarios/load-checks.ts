/**
 * Checks of the `load` section: request mixes name journeys, and the target is a URL whose host is
 * loopback or explicitly allowed, so a typo never sends load to someone else's server.
 */
import type { Names } from './names.js';
import { type Ctx, type Rec, recordOf } from './raw-values.js';
import { didYouMean, listOf } from './suggest.js';

/** Journeys named in `load.requests` and the target host. */
export function checkLoad(value: Rec, n: Names, ctx: Ctx): void {
  const load = recordOf(value.load);
  for (const key of Object.keys(recordOf(load.requests))) {
    if (n.journeys.includes(key)) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['load', 'requests', key],
      params: { atKey: true },
      message: `unknown journey \`${key}\` in load.requests${didYouMean(key, n.journeys) || `; journeys are ${listOf(n.journeys)}`}`,
    });
  }
  const target = load.target;
  if (typeof target === 'string' && !target.includes('${')) {
    let host: string | undefined;
    try {
      host = new URL(target).hostname.replace(/^\[|\]$/g, '');
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['load', 'target'],
        message: `bad target \`${target}\`: expected a URL like \`http://127.0.0.1:8080\``,
      });
      return;
    }
    const allow = Array.isArray(load.allow)
      ? load.allow.filter((a): a is string => typeof a === 'string')
      : [];
    const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
    if (!loopback && !allow.includes(host))
      ctx.addIssue({
        code: 'custom',
        path: ['load', 'target'],
        message: `target host \`${host}\` is not loopback and not in \`load.allow\`; add it there to allow traffic to it`,
      });
  }
}
