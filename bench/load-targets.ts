/**
 * Targets for the load benchmarks, each in its own process so the generator never shares their
 * event loop: Debian's nginx with a temporary config (1 worker, `return 200`) and a node:http
 * server. Both listen on loopback; `stop()` ends them and removes the temporary files.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A started target. */
export interface BenchTarget {
  url: string;
  /** CPU seconds (user + system) the target's processes used so far; NaN where /proc is absent. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** CPU seconds of `pid` and its children (nginx: the master and its worker) from /proc. */
function procCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const ticks = (p: number) => {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(f[11]) + Number(f[12]);
    };
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return [pid, ...kids.map(Number)].reduce((a, p) => a + ticks(p), 0) / 100;
  } catch {
    return Number.NaN;
  }
}

const NODE_SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => res.end('ok'));
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

/** A node:http server answering `ok`, in a child process. */
export async function startNodeTarget(): Promise<BenchTarget> {
  const child = spawn(process.execPath, ['-e', NODE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (c) => resolve(String(c).trim())),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    cpuSeconds: () => procCpuSeconds(child.pid),
    stop: () => kill(child),
  };
}

/** The nginx binary, or why there is none. */
export function findNginx(): { path: string } | { skip: string } {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return { path: p };
  const which = spawnSync('which', ['nginx'], { encoding: 'utf8' });
  return which.status === 0
    ? { path: which.stdout.trim() }
    : { skip: 'nginx is not installed (apt-get install nginx)' };
}

/** Debian's nginx, one worker, `return 200 ok` on a free loopback port; undefined with a reason. */
export async function startNginx(): Promise<BenchTarget | { skip: string }> {
  const found = findNginx();
  if ('skip' in found) return found;
  const dir = mkdtempSync(join(tmpdir(), 'backline-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${port}; location / { return 200 'ok'; } }
}
`,
  );
  const child = spawn(found.path, ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const up = await waitForPort(port, 3000);
  if (!up) {
    await kill(child);
    rmSync(dir, { recursive: true, force: true });
    return { skip: 'nginx did not start (see its error log; not root?)' };
  }
  return {
    url: `http://127.0.0.1:${port}`,
    cpuSeconds: () => procCpuSeconds(child.pid),
    stop: async () => {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 2000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        r(true);
      });
      c.once('error', () => r(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
