/**
 * Debian's real Prometheus for tests: started on a free loopback port with a generated config that
 * scrapes one target every second, its readiness awaited, and its instant-query API.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** True when `bin --version` runs (promtool, prometheus). */
export const has = (bin: string): boolean => spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0;

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A running Prometheus. */
export interface Prometheus {
  url: string;
  child: ChildProcess;
}

/** Starts Prometheus in `dir`, scraping `127.0.0.1:<targetPort>/metrics` every second. */
export async function startPrometheus(dir: string, targetPort: number): Promise<Prometheus> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: backline\n    scrape_interval: 1s\n    static_configs: [{ targets: ['127.0.0.1:${targetPort}'] }]\n`,
  );
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child };
}
