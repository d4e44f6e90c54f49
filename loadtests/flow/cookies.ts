/**
 * A virtual user's cookie jar: `Set-Cookie` from the target's origin is kept and sent back on later
 * requests, like a browser or k6's per-VU jar. Only the target's origin exists for a flow (every
 * step goes to `load.target`), so a `Domain` naming another host is refused rather than stored.
 */

interface Cookie {
  value: string;
  path: string;
  /** `performance.now()` ms after which the cookie is gone; Infinity for session cookies. */
  expires: number;
}

/** Cookies of one virtual user for one origin. */
export class CookieJar {
  private readonly cookies = new Map<string, Cookie>();

  constructor(private readonly host: string) {}

  /** Stores the cookies of a response's `set-cookie` header(s), received at `now` (ms). */
  store(header: string | string[] | undefined, now: number): void {
    if (header === undefined) return;
    for (const line of Array.isArray(header) ? header : [header]) this.storeOne(line, now);
  }

  private storeOne(line: string, now: number): void {
    const [pair, ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    // A name or value that could not be sent back as a valid header is dropped, never echoed.
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) || !/^[\x21-\x7e]*$/.test(value.replace(/ /g, '')))
      return;
    let path = '/';
    let expires = Number.POSITIVE_INFINITY;
    for (const a of attrs) {
      const [k, ...rest] = a.split('=');
      const key = k.trim().toLowerCase();
      const v = rest.join('=').trim();
      if (key === 'domain') {
        const d = v.replace(/^\./, '').toLowerCase();
        if (d !== '' && d !== this.host && !this.host.endsWith(`.${d}`)) return;
      } else if (key === 'path' && v.startsWith('/')) path = v;
      else if (key === 'max-age' && /^-?\d+$/.test(v)) expires = now + Number(v) * 1000;
      else if (key === 'expires' && expires === Number.POSITIVE_INFINITY) {
        const t = Date.parse(v);
        if (!Number.isNaN(t)) expires = now + (t - Date.now());
      }
    }
    if (expires <= now) this.cookies.delete(name);
    else this.cookies.set(name, { value, path, expires });
  }

  /** The `cookie` header for a request to `path` at `now`, or undefined when there is none. */
  header(path: string, now: number): string | undefined {
    let out = '';
    for (const [name, c] of this.cookies) {
      if (c.expires <= now) {
        this.cookies.delete(name);
        continue;
      }
      if (!pathMatches(path, c.path)) continue;
      out += `${out ? '; ' : ''}${name}=${c.value}`;
    }
    return out || undefined;
  }
}

/** RFC 6265 5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  const p = requestPath.split('?')[0];
  if (p === cookiePath) return true;
  if (!p.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || p[cookiePath.length] === '/';
}
