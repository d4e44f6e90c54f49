/**
 * What `backline --version` and `backline validate` load. Start-up time on Node 20 follows the
 * number of module files (each is resolved, read and compiled apart), the built-ins they pull in
 * and what they run when loaded; the time itself is a benchmark (`npm run bench startup`), this
 * test holds the causes: a module resolve hook records every ES module file, a CommonJS hook every
 * `require`, and `process.moduleLoadList` every built-in the run loaded.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { QUICK_COMMANDS } from '../../cli/quick-names.js';
import { ROOT } from '../cli.js';

const dir = mkdtempSync(join(tmpdir(), 'backline-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Registered with --import: appends every resolved file: URL to $IMPORT_LOG.
const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  if (r.url.startsWith('file:')) appendFileSync(process.env.IMPORT_LOG, r.url + '\\n');
  return r;
}`,
);
const register = join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
);
// Preloaded with -r: logs every require() (as `require:<request>`) and, at exit, the built-ins loaded.
const cjsHook = join(dir, 'require-hook.cjs');
writeFileSync(
  cjsHook,
  `const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const load = Module._load;
Module._load = function (request, ...rest) {
  appendFileSync(process.env.IMPORT_LOG, 'require:' + request + '\\n');
  return load.call(this, request, ...rest);
};
process.on('exit', () => appendFileSync(process.env.IMPORT_LOG, process.moduleLoadList.map((m) => 'builtin:' + m).join('\\n') + '\\n'));`,
);

interface Loaded {
  /** ES module files (paths relative to the repository when inside it). */
  files: string[];
  /** What was passed to require(). */
  required: string[];
  /** Built-in modules (`NativeModule child_process`). */
  builtins: string[];
  stderr: string;
}

/** What `backline ...args` loads. */
function loaded(name: string, args: string[], env: Record<string, string> = {}): Loaded {
  const log = join(dir, `${name}.log`);
  writeFileSync(log, '');
  const r = spawnSync(
    process.execPath,
    ['-r', cjsHook, '--import', register, join(ROOT, 'dist/cli/main.js'), ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, IMPORT_LOG: log, ...env } },
  );
  expect(r.status, r.stderr).toBe(0);
  const root = pathToFileURL(ROOT).href;
  const lines = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  const tagged = (tag: string) => lines.filter((l) => l.startsWith(tag)).map((l) => l.slice(tag.length));
  return {
    files: lines
      .filter((u) => u.startsWith('file:') && u !== pathToFileURL(register).href)
      .map((u) => (u.startsWith(root) ? u.slice(root.length) : u)),
    required: tagged('require:'),
    builtins: tagged('builtin:'),
    stderr: r.stderr,
  };
}

const HEAVY =
  /node_modules\/(ink|react|d3[^/]*|better-sqlite3|@faker-js|@opentelemetry|autocannon|undici|prom-client|ajv)\//;
/** Built-ins nothing on these paths uses: commander's child_process (with net, dgram), crypto. */
const UNUSED_BUILTINS = /^NativeModule (child_process|crypto|dgram)$/;
const isPackage = (request: string) => !request.startsWith('node:') && !/^[a-z_]+$/.test(request);

describe('start-up import graph of the built CLI', () => {
  it('--version loads the entry and at most 3 more files, no package and no unused built-in', () => {
    const l = loaded('version', ['--version']);
    expect(l.files).toContain('dist/cli/main.js');
    expect(l.files.length).toBeLessThanOrEqual(4);
    expect(l.files.filter((f) => f.includes('node_modules/'))).toEqual([]);
    expect(l.required.filter(isPackage)).toEqual([]);
    expect(l.builtins.filter((b) => UNUSED_BUILTINS.test(b))).toEqual([]);
  });

  it('validate mmc runs from the code-cached quick bundle: at most 4 module files, no package, no unused built-in', () => {
    const l = loaded('validate', ['validate', 'mmc'], { BACKLINE_CODE_CACHE: 'report' });
    // A rejected cache (built by another Node) still runs, compiling 460 kB at every start.
    expect(l.stderr).toBe('code cache: accepted\n');
    expect(l.files.length).toBeLessThanOrEqual(4);
    expect(l.files.filter((f) => HEAVY.test(f) || f.includes('node_modules/'))).toEqual([]);
    // zod, yaml and commander are inside the quick bundle: it requires only built-ins.
    expect(l.required.filter(isPackage)).toEqual([]);
    expect(l.builtins.filter((b) => UNUSED_BUILTINS.test(b))).toEqual([]);
  });

  it('schema (not a quick command) still loads its chunks on demand, without what draws or records', () => {
    expect(QUICK_COMMANDS).not.toContain('schema');
    const l = loaded('schema', ['schema']);
    expect(l.files.length).toBeGreaterThan(4);
    expect(l.files.length).toBeLessThanOrEqual(40);
    expect(l.files.filter((f) => HEAVY.test(f) || f.includes('node_modules/'))).toEqual([]);
    expect(l.builtins.filter((b) => UNUSED_BUILTINS.test(b))).toEqual([]);
  });

  it('the quick bundle registers exactly the commands the entry sends it', async () => {
    const { quickCommands } = await import('../../cli/quick-commands.js');
    expect(Object.keys(quickCommands).sort()).toEqual([...QUICK_COMMANDS].sort());
  });

  it('a quick bundle older than the entry (tsc rewrote main.js alone) is not run: validate takes the module path', () => {
    const copy = join(dir, 'cli');
    cpSync(join(ROOT, 'dist/cli'), copy, { recursive: true });
    const mmc = join(ROOT, 'scenarios/catalog/mmc.yaml');
    const run = () =>
      spawnSync(process.execPath, [join(copy, 'main.js'), 'validate', mmc], {
        encoding: 'utf8',
        env: { ...process.env, BACKLINE_CODE_CACHE: 'report' },
      });
    const now = Date.now() / 1000;
    utimesSync(join(copy, 'main.js'), now - 60, now - 60);
    const fresh = run();
    expect(fresh.stderr).toBe('code cache: accepted\n');
    utimesSync(join(copy, 'main.js'), now + 60, now + 60);
    const stale = run();
    expect([stale.status, stale.stderr]).toEqual([0, '']);
    expect(stale.stdout).toBe(fresh.stdout);
    expect(stale.stdout).toMatch(/^ok: mmc \(1 service, 1 journey\)/);
  });
});
