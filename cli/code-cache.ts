/**
 * Runs a CommonJS bundle through a V8 code cache, the start-up help Node 20 lacks for ES modules
 * (`module.enableCompileCache` is Node 22). The cache (`<file>.cache`) is written at build time by
 * one representative run (`bundle.ts`), so it also holds the functions that run compiled, not only
 * the top level. V8 checks the cache against its own version and flags and silently compiles from
 * source when it does not fit (another Node, `--inspect`): slower, never wrong.
 */
import { isAscii } from 'node:buffer';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** What `BACKLINE_CODE_CACHE` asks: `write` the cache at exit (the build does), `report` its use. */
const MODE = process.env.BACKLINE_CODE_CACHE;

/**
 * Loads the CommonJS module at `url` with its code cache, if any; returns its exports, or undefined
 * when the file is missing or older than `builtWith` (an unbundled build, or `tsc` alone rewrote the
 * entry after the last bundle: the caller takes the ES module path rather than run stale code).
 */
export function requireCached(url: URL, builtWith: URL): Record<string, unknown> | undefined {
  const file = fileURLToPath(url);
  let source: string;
  try {
    if (statSync(file).mtimeMs < statSync(fileURLToPath(builtWith)).mtimeMs) return undefined;
    const bytes = readFileSync(file);
    // Decoding 460 kB as UTF-8 took 5 ms of a 200 ms start; ASCII (what esbuild writes, but for
    // characters in regular expressions) reads the same as latin1, which is a plain copy.
    source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  } catch {
    return undefined;
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  // The wrapper Node's own CommonJS loader uses, so the bundle sees the usual module variables.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    // Node 20.12+: a dynamic import() inside resolves as in any module (undefined before: none is
    // used). Read off the default export: a named import of `constants` fails to link before 20.12.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (MODE === 'report')
    process.stderr.write(
      `code cache: ${cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`,
    );
  if (MODE === 'write') process.on('exit', () => writeFileSync(`${file}.cache`, script.createCachedData()));
  const module = { exports: {} as Record<string, unknown> };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}
