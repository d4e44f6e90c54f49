/**
 * Checks of the `p2p` section against the rest of the scenario: `listen: track` delays a listener's
 * next play, which only a closed population has (open arrivals come at their rate whatever anyone
 * is listening to), so asking for it with open arrivals would silently do nothing.
 */
import { type Ctx, type Rec, recordOf } from './raw-values.js';

/** `p2p.listen: track` needs closed arrivals. */
export function checkP2p(value: Rec, ctx: Ctx): void {
  const listen = recordOf(value.p2p).listen;
  const kind = recordOf(recordOf(value.users).arrivals).kind;
  if (listen === 'track' && typeof kind === 'string' && kind !== 'closed')
    ctx.addIssue({
      code: 'custom',
      path: ['p2p', 'listen'],
      message: `\`listen: track\` needs closed arrivals, e.g. \`closed(users: 1000, think: const(1s))\`: ${kind} arrivals come at their rate whatever a listener is hearing`,
    });
}
