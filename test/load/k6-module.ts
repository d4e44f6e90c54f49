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

/** A response the sandbox's `http.request` returns (headers lower-case; the sandbox canonicalises them). */
export interface SandboxResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  duration: number;
  error_code?: number;
}

/** One metric sample the sandboxed script emitted, as k6 would tag it. */
export interface SandboxPoint {
  metric: string;
  value: number;
  tags: Record<string, string>;
  time: string;
}

/** What a sandboxed run did. */
export interface SandboxRun {
  requests: (SentRequest & { vu: number; group: string })[];
  points: SandboxPoint[];
  /** The points as k6 `--out json` NDJSON lines. */
  ndjson: string;
  /** Exceptions that ended an iteration (k6 logs them and goes on). */
  errors: string[];
  /** Seconds the script asked to sleep, in total. */
  sleeps: number;
  options: Record<string, unknown>;
  summary: Record<string, string>;
}

/**
 * Answers a request by sending it to a real server over a new connection each time (no keep-alive
 * socket that the server may close as it is reused: a flaky reset would look like a script bug).
 */
export async function fetchResponse(req: {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
}): Promise<SandboxResponse> {
  const { request } = await import('node:http');
  const t0 = performance.now();
  return new Promise((resolve) => {
    const r = request(req.url, { method: req.method, headers: req.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: Object.fromEntries(
            Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
          ),
          duration: performance.now() - t0,
        }),
      );
    });
    r.on('error', () =>
      resolve({ status: 0, body: '', headers: {}, duration: performance.now() - t0, error_code: 1212 }),
    );
    r.end(req.body ?? undefined);
  });
}

/**
 * Runs a generated script as `vus` virtual users for `iterations` iterations in a worker thread
 * (see `k6-sandbox.mjs`); each request is answered by `respond` (a real server through
 * {@link fetchResponse}, or a function of the test).
 */
export async function runK6Sandbox(
  text: string,
  opts: {
    respond: (req: SentRequest) => SandboxResponse | Promise<SandboxResponse>;
    files?: Record<string, string>;
    env?: Record<string, string>;
    vus?: number;
    iterations?: number;
  },
): Promise<SandboxRun> {
  const { Worker } = await import('node:worker_threads');
  const js = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  }).outputText;
  const sab = new SharedArrayBuffer(8 + (8 << 20));
  const flag = new Int32Array(sab, 0, 2);
  const bytes = new Uint8Array(sab, 8);
  const worker = new Worker(new URL('./k6-sandbox.mjs', import.meta.url), {
    workerData: {
      js,
      env: opts.env ?? {},
      files: opts.files ?? {},
      vus: opts.vus ?? 1,
      iterations: opts.iterations ?? 1,
      sab,
    },
  });
  try {
    return await new Promise<SandboxRun>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', async (m) => {
        if (m.type === 'done') {
          const ndjson = (m.points as SandboxPoint[])
            .map((p) =>
              JSON.stringify({
                type: 'Point',
                metric: p.metric,
                data: { time: p.time, value: p.value, tags: p.tags },
              }),
            )
            .join('\n');
          resolve({ ...m, ndjson: `${ndjson}\n` });
          return;
        }
        const r = await opts.respond(m.req);
        const enc = new TextEncoder().encode(JSON.stringify(r));
        bytes.set(enc);
        Atomics.store(flag, 1, enc.length);
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      });
    });
  } finally {
    await worker.terminate();
  }
}
