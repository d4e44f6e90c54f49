/**
 * A full disk keeps what was measured: the CLI runs inside a private mount namespace (`unshare -rm`,
 * no root needed) on a tmpfs of a few kilobytes, a real ENOSPC. Skipped where user namespaces are
 * not allowed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-full-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const canMount =
  spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=4k tmpfs ${tmp}`]).status === 0;

/**
 * Runs `backline …args` with a `size` tmpfs mounted at `disk`, then lists what is left on it (the
 * mount vanishes with the namespace, so the listing happens inside). Returns exit code and outputs.
 */
function onFullDisk(size: string, args: string[]) {
  const disk = join(tmp, 'disk');
  const script = [
    'mkdir -p "$DISK" && mount -t tmpfs -o size=$SIZE tmpfs "$DISK" || exit 99',
    'node dist/cli/main.js "$@"',
    'code=$?',
    'echo "@@files"; (cd "$DISK" && find . -type f | sort); echo "@@result"',
    'cat "$DISK/out/result.json" 2>/dev/null',
    'exit $code',
  ].join('\n');
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', DISK: disk, SIZE: size },
    timeout: 120_000,
  });
  const [stdout, rest = ''] = r.stdout.split('@@files\n');
  const [files, resultJson] = rest.split('@@result\n');
  return {
    code: r.status,
    stdout,
    stderr: r.stderr,
    files: files.split('\n').filter(Boolean),
    resultJson,
    disk,
  };
}

describe.skipIf(!canMount)('a full disk keeps what was measured', () => {
  it('sim exits 3, says what could not be written and prints the RunResult when result.json failed', () => {
    const r = onFullDisk('4k', ['sim', 'mmc', '--out', join(tmp, 'disk', 'out'), '--no-history']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot write result\.json, report\.html.* ENOSPC: no space left on device/);
    // The summary and then the whole RunResult reached stdout.
    expect(r.stdout).toContain('utilization %');
    const json = r.stdout.split('result.json could not be written; the RunResult follows:\n')[1];
    const result = JSON.parse(json.slice(0, json.lastIndexOf('}') + 1));
    expect(result.kind).toBe('sim');
    expect(result.journeys.req.count).toBeGreaterThan(100_000);
    // No half-written or temporary file is left.
    expect(r.files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(r.files).not.toContain('./out/result.json');
  });

  it('writes result.json whole when it fits and the rest does not', () => {
    const r = onFullDisk('24k', [
      'sim',
      'mmc',
      '--seed',
      '3',
      '--out',
      join(tmp, 'disk', 'out'),
      '--no-history',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot write .*report\.html.* ENOSPC.*; written: result\.json/);
    expect(r.files).toContain('./out/result.json');
    expect(r.files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // result.json parses whole and equals the same run's --json output.
    const again = spawnSync(
      process.execPath,
      ['dist/cli/main.js', 'sim', 'mmc', '--seed', '3', '--json', '--no-history'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(r.resultJson)).toEqual(JSON.parse(again.stdout));
    // Not printed again: it is on disk.
    expect(r.stdout).not.toContain('the RunResult follows');
  });

  it('run keeps its summary, reports the history it could not record, and exits 3', () => {
    const r = onFullDisk('4k', [
      'run',
      'mmc',
      '--out',
      join(tmp, 'disk', 'out'),
      '--history',
      join(tmp, 'disk', 'history.db'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('utilization %');
    expect(r.stdout).toContain('the RunResult follows');
    expect(r.stderr).toMatch(/run not recorded in .*history\.db/);
    expect(r.stderr).not.toContain('internal error');
  });

  it('sweep prints its table before failing to write sweep.json', () => {
    const r = onFullDisk('4k', [
      'sweep',
      'mmc',
      '--vary',
      'services.server.workers=2,4',
      '--set',
      'duration=30m',
      '--replications',
      '1',
      '--workers',
      '1',
      '--out',
      join(tmp, 'disk', 'out'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('2 points');
    expect(r.stderr).toMatch(/cannot write .*sweep\.json: ENOSPC/);
    expect(r.stderr).not.toContain('internal error');
  });
});
