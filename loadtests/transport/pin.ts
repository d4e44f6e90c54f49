/**
 * Pinned name resolution: the addresses that passed the allow-list check are the only ones a
 * connection may use, so a DNS answer that changes between the check and the connect (rebinding)
 * cannot move the load to another host.
 */
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';

/** A `lookup` for `net.connect`/`http.request` that answers only with `addresses`, in turn. */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  if (addresses.length === 0) throw new Error('pinnedLookup needs at least one checked address');
  let next = 0;
  return ((_host: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) => {
    const list = addresses.map((address) => ({ address, family: isIP(address) }));
    if (options?.all) {
      cb(null, list);
      return;
    }
    const pick = list[next++ % list.length];
    cb(null, pick.address, pick.family);
  }) as LookupFunction;
}
