/**
 * The twin's spans from the command line: `load --twin --otlp` exports them from the twin's own
 * process to the same collector as the metrics (an OTLP/HTTP receiver written here decodes them),
 * and `serve --traces` refuses a path it could not write before it starts anything, instead of
 * finding out when it stops.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlineAsync, ROOT } from '../cli.js';

const FIXTURE = 'test/metrics/fixtures/twin-trace.yaml';
const SERVER = 2;

interface Span {
  service: string;
  traceId: string;
  name: string;
  kind: number;
}

describe('load --twin --otlp', () => {
  const spans: Span[] = [];
  const paths = new Set<string>();
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      paths.add(req.url ?? '');
      if (req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: { traceId: string; name: string; kind: number }[] }[];
          }[];
        };
        for (const rs of parsed.resourceSpans) {
          const service =
            rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans)
            for (const s of ss.spans) spans.push({ service, traceId: s.traceId, name: s.name, kind: s.kind });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  beforeAll(() => new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r)));
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  // Before: only `serve` traced; `load --twin --otlp` sent metrics alone and no span.
  it("sends the twin's spans to /v1/traces beside the metrics: one api SERVER span per request api served", async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const run = await backlineAsync([
      'load',
      FIXTURE,
      '--twin',
      '--rate',
      '20',
      '--duration',
      '3s',
      '--otlp',
      url,
      '--allow-late',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      services: Record<string, { served: number; rejected: number }>;
    };
    expect(paths).toContain('/v1/metrics');
    expect(paths).toContain('/v1/traces');
    expect(new Set(spans.map((s) => s.service))).toEqual(
      new Set(['edge', 'api', 'catalog', 'storage', 'reviews', 'pricing', 'tiny']),
    );
    const apiServed = result.services.api.served;
    expect(apiServed).toBeGreaterThan(20);
    // Every request is sampled (no traceparent comes in), and the twin flushes its spans as it stops.
    const apiServer = spans.filter((s) => s.service === 'api' && s.kind === SERVER);
    expect(apiServer).toHaveLength(apiServed + result.services.api.rejected);
    // Each browse journey's api span sits in a trace the edge started.
    const edgeTraces = new Set(spans.filter((s) => s.service === 'edge').map((s) => s.traceId));
    for (const s of apiServer) expect(edgeTraces.has(s.traceId)).toBe(true);
  }, 60_000);
});

/** `backline serve …`, killed after 15 s if it has not exited by then (before the fix: it served). */
function serve(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}dist/cli/main.js`, 'serve', ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('serve --traces with a path it cannot write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backline-traces-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string, string][] = [
    ['a missing folder', join(dir, 'missing', 'spans.json'), `folder ${join(dir, 'missing')} does not exist`],
    ['a directory', dir, 'it is a directory'],
    ['a path under a regular file', join(file, 'spans.json'), `${file} is not a folder`],
  ];
  for (const [what, path, message] of cases)
    it(`exits 2 before serving when --traces is ${what}`, async () => {
      const r = await serve(['breaker', '--traces', path]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`cannot write ${path}: ${message}`);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      // Nothing started: no endpoint was printed.
      expect(r.stdout).not.toContain('twin of');
      expect(existsSync(join(dir, 'missing'))).toBe(false);
    });

  it('still serves with a writable path and writes the spans there on SIGINT', async () => {
    const out = join(dir, 'spans.json');
    const child = spawn(process.execPath, [`${ROOT}dist/cli/main.js`, 'serve', 'breaker', '--traces', out], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
    });
    let stdout = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c) => {
        stdout += c;
        if (stdout.includes('Ctrl-C stops.')) resolve();
      }),
    );
    const code = new Promise<number | null>((r) => child.on('close', r));
    child.kill('SIGINT');
    expect(await code).toBe(0);
    expect(existsSync(out)).toBe(true);
  }, 30_000);
});
