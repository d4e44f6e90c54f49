/**
 * The placeholders of request templates, read one way by validation, the load engine and the k6
 * script: `{{user.id}}`, `{{catalog.item}}`, `{{faker.music.songName}}`, a captured `{{token}}`,
 * `${env.NAME}`, a feed column `{{feed.accounts.user}}` and, for a column whose name holds other
 * characters (`user id`, `e"mail`, a newline), the bracket form `{{feed.accounts["user id"]}}` with
 * the name as a JSON string. One reader, so what validation accepts is what a run sends.
 */

/** What a placeholder names. */
export type TemplateRef =
  | { kind: 'env'; name: string }
  | { kind: 'feed'; feed: string; column: string }
  /** `user.id`, `catalog.item`, `faker.…` or a captured variable. */
  | { kind: 'name'; name: string };

/** A placeholder in a template text: where it is, how it was written, what it names. */
export interface TemplatePlaceholder {
  index: number;
  text: string;
  ref: TemplateRef;
}

// A JSON string: no raw control character, only JSON's escapes.
const JSON_STRING = String.raw`"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"`;
const TOKEN = new RegExp(
  String.raw`\{\{\s*(?:feed\.([A-Za-z0-9_-]+)\[(${JSON_STRING})\]|([A-Za-z0-9_.-]+))\s*\}\}|\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}`,
  'g',
);

/** A column name that the dotted form `{{feed.<name>.<column>}}` can write. */
export const DOTTED_COLUMN = /^[A-Za-z0-9_.-]+$/;

/** The placeholder text for a feed column, in the dotted form when it can be written so. */
export function feedPlaceholder(feed: string, column: string): string {
  return DOTTED_COLUMN.test(column)
    ? `{{feed.${feed}.${column}}}`
    : `{{feed.${feed}[${JSON.stringify(column)}]}}`;
}

function refOf(m: RegExpMatchArray): TemplateRef {
  if (m[4] !== undefined) return { kind: 'env', name: m[4] };
  if (m[1] !== undefined) return { kind: 'feed', feed: m[1], column: JSON.parse(m[2]) as string };
  const feed = /^feed\.([A-Za-z0-9_-]+)\.(.+)$/.exec(m[3]);
  return feed ? { kind: 'feed', feed: feed[1], column: feed[2] } : { kind: 'name', name: m[3] };
}

/** The placeholders of `source`, in order. */
export function placeholders(source: string): TemplatePlaceholder[] {
  return [...source.matchAll(TOKEN)].map((m) => ({ index: m.index ?? 0, text: m[0], ref: refOf(m) }));
}

/** The first text matching `pattern` outside every placeholder of `source`, else undefined. */
function strayText(source: string, pattern: RegExp): string | undefined {
  let last = 0;
  const gaps: string[] = [];
  for (const p of placeholders(source)) {
    gaps.push(source.slice(last, p.index));
    last = p.index + p.text.length;
  }
  gaps.push(source.slice(last));
  for (const gap of gaps) {
    const m = pattern.exec(gap);
    if (m) return m[0];
  }
  return undefined;
}

/**
 * A `{{feed…}}` in `source` that is no placeholder (a column written with a space or a quote in the
 * dotted form, an unclosed bracket), which would otherwise be sent as literal text; else undefined.
 */
export function strayFeedPlaceholder(source: string): string | undefined {
  return strayText(source, /\{\{\s*feed\b[\s\S]*?\}\}/);
}

/**
 * A `${env…}` in `source` that is no `${env.NAME}` (`${env.}`, a name with a space, quote, line
 * break or leading digit, no closing brace), which would otherwise be sent as literal text; else
 * undefined. At most 40 characters of it, to quote in a message.
 */
export function strayEnvPlaceholder(source: string): string | undefined {
  return strayText(source, /\$\{\s*env\b[^}]{0,40}\}?/);
}
