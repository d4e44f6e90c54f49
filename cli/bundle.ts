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
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type BuildOptions, build, type OutputFile } from 'esbuild';
import { catalogDir } from '../scenarios/catalog.js';

/** Packages inlined into the bundle: what `--version`, `validate`, `schema` and `list` import. */
export const BUNDLED = ['commander', 'zod', 'yaml'] as const;

/** Prefix of the chunk files, so a rebuild can remove the previous build's chunks. */
export const CHUNK_PREFIX = 'bundle-';

/** The code-cached CommonJS bundle of the quick commands, beside `main.js`. */
export const QUICK_BUNDLE = 'quick-commands.cjs';

const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** esbuild options both bundles share: what is inlined, for Node 20, whitespace and syntax minified. */
const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  write: false,
  logLevel: 'warning',
  // Whitespace and syntax only: identifiers keep their names (error names, stack frames).
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          // Built-ins load nothing of ours when imported: an import esbuild finds unused (hash.ts's
          // node:crypto in `validate`) is dropped rather than loaded (≈ 5 ms for crypto).
          if (args.path.startsWith('node:')) return { external: true, sideEffects: false };
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
    {
      // commander loads child_process (with net and dgram, ≈ 10 ms) for executable subcommands,
      // which backline has none of: its one use, `spawn`, now loads the module when called.
      name: 'commander-lazy-child-process',
      setup(b) {
        b.onLoad({ filter: /[/\\]commander[/\\]lib[/\\]command\.js$/ }, (args) => ({
          contents: readFileSync(args.path, 'utf8').replace(
            "require('node:child_process')",
            "{ spawn: (...a) => require('node:child_process').spawn(...a) }",
          ),
          loader: 'js',
        }));
      },
    },
  ],
};

/** Writes esbuild's output files (each through a temporary file); returns their names. */
function writeOutputs(files: readonly OutputFile[]): string[] {
  return files.map((file) => {
    const tmp = `${file.path}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
    return basename(file.path);
  });
}

/** Bundles `entry` (a compiled `main.js`) in place; returns the files written. */
export async function bundleCli(entry: string): Promise<string[]> {
  const dir = dirname(entry);
  const out = await build({
    ...COMMON,
    entryPoints: [entry],
    splitting: true,
    format: 'esm',
    outdir: dir,
    chunkNames: `${CHUNK_PREFIX}[hash]`,
    // commander is CommonJS and requires Node's built-ins; an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);",
    },
  });
  // Read everything first (esbuild did), then replace: the entry is both input and output.
  for (const f of readdirSync(dir)) if (f.startsWith(CHUNK_PREFIX)) rmSync(join(dir, f));
  return writeOutputs(out.outputFiles ?? []);
}

/**
 * Bundles `quick-commands.js` (beside `entry`) into one CommonJS file, `QUICK_BUNDLE`, and writes its
 * V8 code cache by running `validate` on the catalog's `mmc` once (`code-cache.ts` loads both).
 * `import.meta.url` names the bundle itself, a file in the same folder as the module it replaces.
 */
export async function bundleQuick(entry: string): Promise<string[]> {
  const dir = dirname(entry);
  const file = join(dir, QUICK_BUNDLE);
  rmSync(`${file}.cache`, { force: true });
  const out = await build({
    ...COMMON,
    entryPoints: [join(dir, 'quick-commands.js')],
    format: 'cjs',
    outfile: file,
    define: { 'import.meta.url': 'bundleImportMetaUrl' },
    banner: { js: "const bundleImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const written = writeOutputs(out.outputFiles ?? []);
  const mmc = join(catalogDir(), 'mmc.yaml');
  const r = spawnSync(process.execPath, [entry, 'validate', mmc], {
    encoding: 'utf8',
    env: { ...process.env, BACKLINE_CODE_CACHE: 'write' },
  });
  if (r.status !== 0)
    throw new Error(`writing the code cache: validate ${mmc} exited ${r.status}: ${r.stderr}`);
  return [...written, `${QUICK_BUNDLE}.cache`];
}

const self = process.argv[1] ?? '';
if (basename(self) === 'bundle.js') {
  const entry = join(dirname(self), 'main.js');
  const files = await bundleCli(entry);
  const quick = await bundleQuick(entry);
  process.stdout.write(`bundled ${entry} into ${files.length} files, and ${quick.join(' + ')}\n`);
}
