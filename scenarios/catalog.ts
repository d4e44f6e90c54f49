/**
 * The catalog of ready-made scenarios (`scenarios/catalog/*.yaml`), so `backline run mmc` works
 * without a path.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ScenarioError } from '../results/errors.js';
import { didYouMean, listOf } from './suggest.js';
import { quoteCalls } from './yaml-calls.js';

/**
 * The catalog folder. Found by walking up from this module to the package root, because this code
 * runs both from source (`scenarios/catalog.ts` under vitest) and compiled (`dist/scenarios/*.js`),
 * and the YAML files are not copied into `dist/`.
 */
export function catalogDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'scenarios', 'catalog');
    const up = dirname(dir);
    if (up === dir) return join(dirname(fileURLToPath(import.meta.url)), 'catalog');
    dir = up;
  }
}

/** One catalog entry. */
export interface CatalogEntry {
  name: string;
  about: string;
  file: string;
}

/** The catalog's scenarios, sorted by name, with their `about` line (empty when unreadable). */
export function listCatalog(): CatalogEntry[] {
  const dir = catalogDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      let about = '';
      try {
        // The same pre-pass as the loader: scenarios write calls like `spike(base: 1k/s, …)` unquoted.
        const data: unknown = parse(quoteCalls(readFileSync(file, 'utf8')).text);
        const a = (data as { about?: unknown } | null)?.about;
        if (typeof a === 'string') about = a;
      } catch {
        // A broken catalog file still lists; loading it reports the problem with positions.
      }
      return { name: basename(f, '.yaml'), about, file };
    });
}

/** Whether a scenario argument is a path rather than a catalog name. */
export function isPath(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || /\.ya?ml$/i.test(arg);
}

/**
 * A scenario argument → the file to load: a path (contains `/` or ends in `.yaml`/`.yml`) as given,
 * otherwise `scenarios/catalog/<name>.yaml`. An unknown name throws {@link ScenarioError} with a
 * suggestion.
 */
export function resolveScenario(arg: string): string {
  if (isPath(arg)) return arg;
  const file = join(catalogDir(), `${arg}.yaml`);
  if (/^[\w.-]+$/.test(arg) && existsSync(file)) return resolve(file);
  const names = listCatalog().map((e) => e.name);
  const hint = didYouMean(arg, names) || (names.length ? `; the catalog has ${listOf(names)}` : '');
  throw new ScenarioError([
    {
      file: arg,
      line: 0,
      col: 0,
      message: `unknown scenario \`${arg}\`: not a file path nor a catalog name${hint}`,
    },
  ]);
}
