/**
 * Test helpers for generated k6 scripts: typecheck them against @types/k6, list a module's
 * top-level exports from the TypeScript AST, and run one in a `vm` sandbox with recording stubs
 * of `k6` and `k6/http`, so a test sees exactly what the script would send.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Typechecks `scripts` with one tsc run against @types/k6 in a temporary directory. */
export function typecheck(...scripts: string[]): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'backline-k6-tsc-'));
  try {
    for (const [i, s] of scripts.entries()) writeFileSync(join(dir, `script${i}.ts`), s);
    const types = join(ROOT, 'node_modules/@types');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2020',
          module: 'ES2020',
          moduleResolution: 'node10',
          lib: ['ES2020'],
          strict: true,
          noEmit: true,
          types: ['k6'],
          typeRoots: [types],
          baseUrl: '.',
          paths: { 'k6/*': [join(types, 'k6/*')], k6: [join(types, 'k6/index.d.ts')] },
        },
        files: scripts.map((_, i) => `script${i}.ts`),
      }),
    );
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parse diagnostics and the sorted names a module exports at top level. */
export function moduleShape(text: string): { errors: number; exports: string[]; statements: number } {
  const sf = ts.createSourceFile('script.ts', text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
  const exports: string[] = [];
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
    if (!mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isExportDeclaration(st) || ts.isExportAssignment(st)) exports.push('<export statement>');
      continue;
    }
    const isDefault = mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (isDefault) exports.push('default');
    else if (ts.isFunctionDeclaration(st) && st.name) exports.push(st.name.text);
    else if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations) exports.push(d.name.getText(sf));
    else exports.push('<other export>');
  }
  const errors = (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
  return { errors, exports: exports.sort(), statements: sf.statements.length };
}

/** A request the sandboxed script sent. */
export interface SentRequest {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
  tags: Record<string, string>;
}

/** Runs the script's module body and `default()` `iterations` times; returns exports and requests. */
export function runScript(
  text: string,
  opts: { env?: Record<string, string>; iterations?: number } = {},
): { exports: Record<string, unknown>; requests: SentRequest[] } {
  const js = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  }).outputText;
  const requests: SentRequest[] = [];
  const http = {
    request: (method: string, url: string, body: string | null, params: Omit<SentRequest, 'method'>) => {
      requests.push({ method, url, body, headers: params.headers, tags: params.tags });
      return { status: 200 };
    },
  };
  const modules: Record<string, unknown> = {
    k6: { check: () => true, sleep: () => undefined },
    'k6/http': { __esModule: true, default: http },
    'k6/options': {},
  };
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(js, {
    module,
    exports: module.exports,
    require: (name: string) => {
      if (!(name in modules)) throw new Error(`unexpected import ${name}`);
      return modules[name];
    },
    __ENV: opts.env ?? {},
  });
  const run = module.exports.default as () => void;
  for (let i = 0; i < (opts.iterations ?? 1); i++) run();
  return { exports: module.exports, requests };
}
