/**
 * Runs the compiled CLI (`dist/cli/main.js`, built by `npm test` before vitest) as a user would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Output and exit code of `backline ...args`. */
export function backline(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [`${ROOT}dist/cli/main.js`, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', ...env },
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Like {@link backline} but without blocking this process, so a server in the test process can
 * answer the CLI's requests.
 */
export function backlineAsync(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}dist/cli/main.js`, ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
