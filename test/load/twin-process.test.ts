import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli.js';

const fixture = fileURLToPath(new URL('./fixtures/twin-light.yaml', import.meta.url));

/** Whether process `pid` still exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pred();
}

/** `load twin-light --twin` in the background; resolves with the twin's pid once it serves. */
function startLoad(): Promise<{
  child: ChildProcess;
  twinPid: number;
  out: { stdout: string; stderr: string };
}> {
  const child = spawn(
    process.execPath,
    [
      `${ROOT}dist/cli/main.js`,
      'load',
      fixture,
      '--twin',
      '--duration',
      '20s',
      '--no-dashboard',
      '--allow-late',
    ],
    { cwd: ROOT, env: { ...process.env, CI: 'true' } },
  );
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (c) => (out.stdout += c));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (c) => {
      out.stderr += c;
      const m = /\(process (\d+)\)/.exec(out.stderr);
      if (m) resolve({ child, twinPid: Number(m[1]), out });
    });
    child.on('exit', () => reject(new Error(`load exited before the twin served: ${out.stderr}`)));
  });
}

describe('the twin in its own process', () => {
  it('runs apart from the load generator and is gone after Ctrl-C, with its counters in the result', async () => {
    const { child, twinPid, out } = await startLoad();
    expect(twinPid).not.toBe(child.pid);
    expect(alive(twinPid)).toBe(true);
    // Long enough past the 1 s warm-up for journeys of ~0.5 s to be measured (a run with none exits 3).
    await new Promise((r) => setTimeout(r, 5000));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await waitFor(() => !alive(twinPid), 3000)).toBe(true);
    // The partial result carries the twin's service counters, sent over IPC as it stopped.
    expect(out.stdout).toMatch(/gateway\s+1\s+[\d.]+\s+[\d.]+\s+[1-9]\d*/);
  });

  it('leaves no twin behind when the load process is killed outright', async () => {
    const { child, twinPid } = await startLoad();
    child.kill('SIGKILL');
    expect(await waitFor(() => !alive(twinPid), 5000)).toBe(true);
  });
});
