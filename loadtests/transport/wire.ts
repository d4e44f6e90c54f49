/**
 * What may reach the wire. The transport refuses a request whose method, path or headers could
 * become protocol (CR, LF, NUL, spaces in a path, characters a header cannot carry) with cause
 * `bad_request`, even though `flows` and validation refuse them earlier: defense in depth, so no
 * path through the code can smuggle a second request. And the request head is built once, as bytes.
 */
import { type OutgoingRequest, TransportError } from './transport.js';

/** RFC 9110 token: methods and header names. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Origin-form target: visible ASCII only (already percent-encoded), starting with `/`. */
const PATH = /^\/[\x21-\x7e]*$/;
/** A field value: tab, visible ASCII, space and obs-text; never CR, LF or NUL. */
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Throws `TransportError('bad_request')` unless `req` is safe to put on the wire as is. */
export function checkRequest(req: OutgoingRequest): void {
  if (!TOKEN.test(req.method)) throw bad(`method ${JSON.stringify(req.method)} is not a token`);
  if (!PATH.test(req.path)) throw bad(`path ${JSON.stringify(req.path)} is not an encoded origin-form path`);
  for (const [name, value] of req.headers) {
    if (!TOKEN.test(name)) throw bad(`header name ${JSON.stringify(name)} is not a token`);
    if (!VALUE.test(value))
      throw bad(`header ${name} has a value with CR, LF, NUL or non-Latin-1 characters`);
  }
}

function bad(why: string): TransportError {
  return new TransportError('bad_request', `refused to send: ${why}`);
}

/** Headers the transport sets itself; a request's own copies are dropped so they cannot conflict. */
export const OWN_HEADERS: ReadonlySet<string> = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
]);

/**
 * The request head and body as one buffer (HTTP/1.1, keep-alive), after {@link checkRequest}.
 * `prefix` is the target URL's base path without a trailing slash.
 */
export function requestBytes(req: OutgoingRequest, host: string, prefix: string): Buffer {
  checkRequest(req);
  const body =
    req.body === undefined
      ? undefined
      : typeof req.body === 'string'
        ? Buffer.from(req.body)
        : Buffer.from(req.body);
  let head = `${req.method} ${prefix}${req.path} HTTP/1.1\r\n`;
  let hasHost = false;
  for (const [name, value] of req.headers) {
    const lower = name.toLowerCase();
    if (OWN_HEADERS.has(lower)) continue;
    if (lower === 'host') hasHost = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost) head += `host: ${host}\r\n`;
  if (body !== undefined || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method))
    head += `content-length: ${body?.length ?? 0}\r\n`;
  head += '\r\n';
  const h = Buffer.from(head, 'latin1');
  return body ? Buffer.concat([h, body]) : h;
}

/** The base path of `url` to put before every request path (`/api` for `http://h/api/`). */
export function basePrefix(url: URL): string {
  return url.pathname.replace(/\/+$/, '');
}
