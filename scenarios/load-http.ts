/**
 * What may go on the wire from a scenario: header names are RFC 9110 tokens, header values are
 * field values without CR, LF or NUL, paths are percent-encoded per RFC 3986. Shared by validation
 * (literal text, exit 2) and by the load drivers at expansion time (feed rows, captures,
 * `${env.X}`), so nothing a scenario says can become protocol: no second request smuggled in a
 * header, no TypeError from Node's header checks.
 */
import { ValueError } from './value-error.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Visible ASCII, space and tab. obs-text (0x80-0xFF) is allowed by RFC 9110 but is legacy and
// Node refuses code points above 0xFF, so non-ASCII is refused outright with one clear message.
const FIELD_VALUE = /^[\t\x20-\x7e]*$/;

/** Quotes `s` for a message, CR/LF/NUL and other controls shown escaped. */
export function shown(s: string): string {
  const cut = s.length > 60 ? `${s.slice(0, 60)}…` : s;
  return JSON.stringify(cut);
}

/** Why `name` cannot be a header name, or undefined. */
export function headerNameProblem(name: string): string | undefined {
  if (TOKEN.test(name)) return undefined;
  if (/[\r\n\0]/.test(name)) return `header name ${shown(name)} contains CR, LF or NUL`;
  return `bad header name ${shown(name)}: use letters, digits and !#$%&'*+-.^_\`|~`;
}

/** Why `value` cannot be a header value, or undefined. */
export function headerValueProblem(value: string): string | undefined {
  if (FIELD_VALUE.test(value)) return undefined;
  if (/[\r\n\0]/.test(value)) return `header value ${shown(value)} contains CR, LF or NUL`;
  return `header value ${shown(value)} has characters outside visible ASCII; percent-encode them`;
}

/** Why a path or method text cannot be sent, or undefined (only CR, LF and NUL are refused: the rest is encoded). */
export function lineProblem(what: string, text: string): string | undefined {
  return /[\r\n\0]/.test(text) ? `${what} ${shown(text)} contains CR, LF or NUL` : undefined;
}

// RFC 3986 pchar / query characters kept as they are, plus `%` when it starts a valid escape.
const KEEP = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

/**
 * `text` percent-encoded for a request target: characters RFC 3986 allows in a path or query are
 * kept, a `%` that starts a valid escape is kept, everything else (space, `"`, `<`, non-ASCII…) is
 * encoded as UTF-8 bytes. Idempotent on already-encoded text.
 */
export function encodeTarget(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (KEEP.test(c)) out += c;
    else if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) out += c;
    else {
      const cp = text.codePointAt(i) ?? 0;
      if (cp > 0xffff) i++;
      // A lone surrogate has no UTF-8 form (encodeURIComponent would throw): send U+FFFD.
      if (cp >= 0xd800 && cp <= 0xdfff) {
        out += '%EF%BF%BD';
        continue;
      }
      out += encodeURIComponent(String.fromCodePoint(cp)).replace(
        /[!'()*]/g,
        (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`,
      );
    }
  }
  return out;
}

/** Throws a {@link ValueError} when a header cannot be sent as written. */
export function assertHeader(name: string, value: string): void {
  const p = headerNameProblem(name) ?? headerValueProblem(value);
  if (p !== undefined) throw new ValueError(p);
}
