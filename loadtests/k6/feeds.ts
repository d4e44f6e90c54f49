/**
 * Feeds for k6: each feed is read here with backline's own reader (RFC 4180 CSV with a header row,
 * or a JSON array) and written beside the script as `feed.<name>.json` (`{ columns, rows }`, every
 * value text), which the script loads once into a `SharedArray` with `open()`. Converting here
 * rather than parsing CSV inside k6 means k6 reads exactly the rows validation checked (quoted
 * fields with commas, `""` and line breaks, a BOM, numbers as text), with no CSV library in the
 * script and one native `JSON.parse` per test instead of a JavaScript CSV parser in the init code.
 * The copy must be regenerated when the feed changes; secret columns are in it (k6 must send
 * them), never in the script.
 */
import { readFeed } from '../../scenarios/load-feeds.js';
import type { Feed } from '../../scenarios/schema.js';
import { lit } from './literal.js';
import type { TemplateJsScope } from './template-js.js';

/** The file name of feed `name` beside the script (a valid ConfigMap key: names are `[A-Za-z0-9_-]`). */
export function feedFileName(name: string): string {
  return `feed.${name}.json`;
}

/** Feeds of a script: the files to write beside it, their `FEEDS` declaration and template scope. */
export interface K6Feeds {
  files: Record<string, string>;
  declaration: string;
  feeds: TemplateJsScope['feeds'];
}

/** Reads `feeds` (files already resolved by the loader) into what the script and its folder need. */
export function k6Feeds(feeds: Readonly<Record<string, Feed>>): K6Feeds {
  const files: Record<string, string> = {};
  const entries: string[] = [];
  const scope: { name: string; columns: string[] }[] = [];
  for (const [name, feed] of Object.entries(feeds)) {
    const data = readFeed(feed.file);
    const file = feedFileName(name);
    files[file] = `${JSON.stringify({ columns: data.columns, rows: data.rows })}\n`;
    scope.push({ name, columns: data.columns });
    entries.push(
      `  {\n    rows: new SharedArray<string[]>(${lit(`feed:${name}`)}, () => JSON.parse(open(${lit(`./${file}`)})).rows),\n` +
        `    order: ${lit(feed.order)},\n    exhausted: ${lit(feed.exhausted)},\n  },`,
    );
  }
  const declaration = `const FEEDS: Feed[] = [${entries.length ? `\n${entries.join('\n')}\n` : ''}];`;
  return { files, declaration, feeds: scope };
}
