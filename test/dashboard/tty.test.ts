import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli.js';

const FIX = join(ROOT, 'test/dashboard/fixtures');

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

// Without tmux there is no terminal to draw on here; the frames are still tested in dashboard.test.tsx.
describe.skipIf(!hasTmux)('backline run on a real terminal (tmux)', () => {
  it('shows the live dashboard, stops on q and prints the report paths', async () => {
    const session = `backline-test-${process.pid}`;
    const out = mkdtempSync(join(tmpdir(), 'backline-tty-'));
    const cmd = `cd ${ROOT} && env -u CI ${process.execPath} dist/cli/main.js run --no-history ${join(FIX, 'mm2.yaml')} --set duration=100000000s --set replications=1 --out ${out}; echo EXIT=$?; sleep 30`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', cmd]);
    const capture = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
    const waitFor = async (re: RegExp, seconds: number) => {
      for (let i = 0; i < seconds * 5; i++) {
        const screen = capture();
        if (re.test(screen)) return screen;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`timed out waiting for ${re} on:\n${capture()}`);
    };
    try {
      const live = await waitFor(/req\s+1\.\d\d\s+\S+\s+\S+\s+0\.0%/, 40);
      expect(live).toMatch(/backline run mm2 {2}seed 5 {2}replication 1\/1/);
      expect(live).toMatch(/\d+%\s+\S+\/\S+\s+\S+ ev\/s/);
      expect(live).toMatch(/server\s+1 [█░]+\s+\d+\.\d%/);
      expect(live).toContain('q stop (keep results) · p pause');
      for (const line of live.split('\n')) expect([...line.trimEnd()].length).toBeLessThanOrEqual(120);
      execFileSync('tmux', ['send-keys', '-t', session, 'q']);
      const end = await waitFor(/EXIT=\d/, 40);
      expect(end).toContain('stopped (partial)');
      expect(end).toContain('EXIT=0');
      expect(end).toContain(join(out, 'report.html'));
      expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).partial).toBe(true);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  });
});
