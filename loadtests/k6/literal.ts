/**
 * The one way a scenario-derived value enters generated k6 code: as a JSON-encoded JavaScript
 * literal. JSON escapes quotes, backslashes, control characters (CR, LF, NUL) and lone surrogates;
 * U+2028/U+2029 are escaped as well, because older parsers and every `//` comment treat them as
 * line ends. Backticks, `${…}`, `*\/` and `</script>` are inert inside a double-quoted literal.
 * Never put a scenario value into a comment or a template string: only through these helpers.
 */

const SEPARATORS = /[\u2028\u2029]/g;

/**
 * `value` as JavaScript source text that evaluates to an equal value (strings, finite numbers,
 * booleans, null, and arrays/objects of those). Throws a TypeError on anything JSON cannot carry
 * exactly (undefined, functions, NaN, ±Infinity), so a bad value fails generation instead of
 * silently becoming `null`.
 */
export function lit(value: unknown, indent?: number): string {
  const protoKey = assertJsonable(value, '$');
  const text = escapeSeparators(JSON.stringify(value, null, indent));
  // In an object literal `"__proto__": x` sets the prototype instead of a key; JSON.parse does not.
  return protoKey ? `JSON.parse(${escapeSeparators(JSON.stringify(text))})` : text;
}

/** An object-literal property name: computed, so `__proto__` stays an ordinary own key. */
export function key(name: string): string {
  return `[${lit(name)}]`;
}

function escapeSeparators(text: string): string {
  return text.replace(SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/** A finite number as source text; throws on NaN and ±Infinity. */
export function num(x: number): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`not a finite number: ${String(x)}`);
  return JSON.stringify(x);
}

/** Throws on what JSON cannot carry; true when some object has an own `__proto__` key. */
function assertJsonable(v: unknown, path: string): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return false;
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`${path}: not a finite number (${v})`);
      return false;
    case 'object': {
      if (v === null) return false;
      let proto = false;
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          proto = assertJsonable(x, `${path}[${i}]`) || proto;
        });
        return proto;
      }
      for (const [k, x] of Object.entries(v))
        proto = assertJsonable(x, `${path}.${k}`) || k === '__proto__' || proto;
      return proto;
    }
    default:
      throw new TypeError(`${path}: ${typeof v} cannot be written as a literal`);
  }
}
