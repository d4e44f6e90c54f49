/**
 * The allow-list: real load goes only to loopback (127.0.0.0/8, ::1, localhost) and to the hosts a
 * scenario names in `load.allow`. Host names are resolved and every address they resolve to is
 * checked before a single request, so a name that points elsewhere (DNS rebinding, a typo in
 * /etc/hosts) is refused too.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TargetRefusedError } from './errors.js';

/**
 * True for 127.0.0.0/8, ::1 and IPv4-mapped loopback in any spelling (`::ffff:127.0.0.1`, and
 * `::ffff:7f00:1`, which is how WHATWG URLs normalise it).
 */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (isIP(a) === 4) return a.startsWith('127.');
  if (isIP(a) !== 6) return false;
  const words = expandIpv6(a);
  if (words.slice(0, 7).every((w) => w === 0) && words[7] === 1) return true;
  // ::ffff:a.b.c.d, IPv4-mapped: loopback when a = 127.
  return words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff && words[6] >> 8 === 127;
}

/** The eight 16-bit words of a valid IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function expandIpv6(a: string): number[] {
  let s = a.split('%')[0];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [b0, b1, b2, b3] = dotted.slice(1).map(Number);
    s = `${s.slice(0, dotted.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((w) => Number.parseInt(w, 16));
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
