/**
 * The allow-list: real load goes only to loopback (127.0.0.0/8, ::1, localhost) and to the hosts a
 * scenario names in `load.allow`. Host names are resolved and every address they resolve to is
 * checked before a single request, so a name that points elsewhere (DNS rebinding, a typo in
 * /etc/hosts) is refused too.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TargetRefusedError } from './errors.js';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The host part of a URL without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** What {@link checkTarget} established. */
export interface CheckedTarget {
  url: URL;
  /** Every address the host resolved to, all allowed. */
  addresses: string[];
}

/**
 * Refuses `target` unless its host is loopback or listed in `allow` (host names or IP addresses),
 * and unless every address it resolves to is loopback or listed too.
 *
 * @throws TargetRefusedError before any traffic when the target is not allowed or not http(s).
 */
export async function checkTarget(target: string, allow: readonly string[] = []): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new TargetRefusedError(target, `load target \`${target}\` is not a URL like http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetRefusedError(target, `load target \`${target}\` must be http:// or https://`);
  }
  const host = hostOf(url);
  const allowed = new Set(allow.map((h) => h.toLowerCase().replace(/^\[|\]$/g, '')));
  const hostOk = host.toLowerCase() === 'localhost' || isLoopback(host) || allowed.has(host.toLowerCase());
  const refuse = (why: string) =>
    new TargetRefusedError(
      host,
      `refusing to load \`${host}\`: ${why}. Only loopback is allowed by default; ` +
        'add the host to `load.allow` in the scenario if you own it.',
    );
  if (!hostOk) throw refuse('it is not loopback and not in load.allow');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch (err) {
      throw refuse(`it does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    }
  }
  // A name listed in load.allow vouches for its addresses; any other name must resolve to loopback.
  const named = allowed.has(host.toLowerCase()) && !isIP(host);
  for (const a of addresses) {
    if (!named && !isLoopback(a) && !allowed.has(a.toLowerCase())) {
      throw refuse(`it resolves to ${a}, which is neither loopback nor in load.allow`);
    }
  }
  return { url, addresses };
}
