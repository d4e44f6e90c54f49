/**
 * What `backline --version` and `backline validate` load. Start-up time on Node 20 follows the
 * number of module files (each is resolved, read and compiled apart) and what they run when loaded;
 * the time itself is a benchmark (`npm run bench startup`), this test holds the cause: a module
 * resolve hook records every file the built CLI loads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
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

/** The distinct files `backline ...args` loads (paths relative to the repository when inside it). */
function loaded(name: string, args: string[]): string[] {
  const log = join(dir, `${name}.log`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', register, join(ROOT, 'dist/cli/main.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, IMPORT_LOG: log },
  });
  expect(r.status, r.stderr).toBe(0);
  const root = pathToFileURL(ROOT).href;
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))]
    .filter((u) => u !== pathToFileURL(register).href)
    .map((u) => (u.startsWith(root) ? u.slice(root.length) : u));
}

const HEAVY =
  /node_modules\/(ink|react|d3[^/]*|better-sqlite3|@faker-js|@opentelemetry|autocannon|undici|prom-client|ajv)\//;

describe('start-up import graph of the built CLI', () => {
  it('--version loads the entry and at most 5 more files, none of them a package', () => {
    const files = loaded('version', ['--version']);
    expect(files).toContain('dist/cli/main.js');
    expect(files.length).toBeLessThanOrEqual(6);
    expect(files.filter((f) => f.includes('node_modules/'))).toEqual([]);
  });

  it('validate mmc loads at most 30 files (156 unbundled), no package file and nothing that draws or records', () => {
    const files = loaded('validate', ['validate', 'mmc']);
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(30);
    expect(files.filter((f) => HEAVY.test(f))).toEqual([]);
    // zod, yaml and commander are inside the bundle's chunks, not loaded file by file.
    expect(files.filter((f) => f.includes('node_modules/'))).toEqual([]);
  });
});
