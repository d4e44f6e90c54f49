/**
 * Build step after `tsc`: bundles the compiled command line (`dist/cli/main.js`) with esbuild so
 * `backline --version` and `backline validate` start in a fraction of the time. Node 20 resolves,
 * reads and compiles every ES module file apart (about 1 ms each on this machine); `validate` alone
 * loaded some 300 files, 190 of them zod's. Bundled, it reads a handful of chunks.
 *
 * Why it is shaped this way:
 * - Code splitting keeps each command a chunk of its own, loaded only when that command runs, as
 *   the dynamic imports in `commands/index.ts` intend.
 * - Only our code and the packages on the start-up path (`BUNDLED`) are inlined. Every other package
 *   stays an import Node resolves at run time: native addons (better-sqlite3), packages that find
 *   their own files on disk (autocannon's workers, clinic) and big ones used by one command (d3,
 *   Ink, OpenTelemetry) keep working exactly as unbundled.
 * - Chunks are written next to `main.js` in `dist/cli/`, so `import.meta.url` in any chunk names a
 *   file in that folder, as the unbundled `dist/cli/*.js` would: `./sweep-worker.js` still resolves.
 *   Worker and child-process entries (`sweep-worker.js`, the twin's `child.js`, autocannon's
 *   `slice-worker.js`) are not bundled: they stay `tsc`'s files.
 */
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';

/** Packages inlined into the bundle: what `--version`, `validate`, `schema` and `list` import. */
export const BUNDLED = ['commander', 'zod', 'yaml'] as const;

/** Prefix of the chunk files, so a rebuild can remove the previous build's chunks. */
export const CHUNK_PREFIX = 'bundle-';

const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** Bundles `entry` (a compiled `main.js`) in place; returns the files written. */
export async function bundleCli(entry: string): Promise<string[]> {
  const dir = dirname(entry);
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: dir,
    chunkNames: `${CHUNK_PREFIX}[hash]`,
    write: false,
    logLevel: 'warning',
    // Whitespace and syntax only: identifiers keep their names (error names, stack frames).
    minifyWhitespace: true,
    minifySyntax: true,
    // commander is CommonJS and requires Node's built-ins; an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'external-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:')) return { external: true };
            const pkg = packageOf(args.path);
            return (BUNDLED as readonly string[]).includes(pkg) ? undefined : { external: true };
          });
        },
      },
      {
        // zod re-exports its ~60 translated message sets as `z.locales`, half its bundled size
        // (370 kB parsed at every start). backline uses only the English default, which zod's
        // schemas import directly (`locales/en.js`), so the namespace is left empty.
        name: 'zod-without-locales',
        setup(b) {
          b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
            /[/\\]zod[/\\]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
        },
      },
    ],
  });
  // Read everything first (esbuild did), then replace: the entry is both input and output.
  for (const f of readdirSync(dir)) if (f.startsWith(CHUNK_PREFIX)) rmSync(join(dir, f));
  const written: string[] = [];
  for (const file of out.outputFiles) {
    const tmp = `${file.path}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
    written.push(basename(file.path));
  }
  return written;
}

const self = process.argv[1] ?? '';
if (basename(self) === 'bundle.js') {
  const entry = join(dirname(self), 'main.js');
  const files = await bundleCli(entry);
  process.stdout.write(`bundled ${entry} into ${files.length} files\n`);
}
