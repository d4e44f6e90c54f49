import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli.js';
import { hasTmux, TmuxSession } from '../tmux.js';

const FIX = join(ROOT, 'test/dashboard/fixtures');
const backline = `cd ${ROOT} && env -u CI ${process.execPath} dist/cli/main.js`;

if (!hasTmux) console.log('skipping the terminal tests: tmux is not installed');

// Without tmux there is no terminal to draw on here; the frames are still tested in dashboard.test.tsx.
describe.skipIf(!hasTmux)('backline run on a real terminal (tmux)', () => {
  it('shows the live dashboard, stops on q and prints the report paths', async () => {
    const out = mkdtempSync(join(tmpdir(), 'backline-tty-'));
    const tty = new TmuxSession(
      `${backline} run --no-history ${join(FIX, 'mm2.yaml')} --set duration=100000000s --set replications=1 --out ${out}; echo EXIT=$?; sleep 30`,
    );
    try {
      const live = await tty.waitFor(/req\s+1\.\d\d\s+\S+\s+\S+\s+0\.0%/, 40);
      expect(live).toMatch(/backline run mm2 {2}seed 5 {2}replication 1\/1/);
      expect(live).toMatch(/\d+%\s+\S+\/\S+\s+\S+ ev\/s/);
      expect(live).toMatch(/server\s+1 [█░]+\s+\d+\.\d%/);
      expect(live).toContain('q stop (keep results) · p pause');
      for (const line of live.split('\n')) expect([...line.trimEnd()].length).toBeLessThanOrEqual(120);
      tty.keys('q');
      const end = await tty.waitFor(/EXIT=\d/, 40);
      expect(end).toContain('stopped (partial)');
      expect(end).toContain('EXIT=0');
      expect(end).toContain(join(out, 'report.html'));
      expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).partial).toBe(true);
    } finally {
      tty.close();
    }
  });

  it('keeps the final frame of spotify under its header on an 80×24 terminal', async () => {
    const out = mkdtempSync(join(tmpdir(), 'backline-tty-'));
    const tty = new TmuxSession(
      `${backline} run --no-history spotify --set 'users.arrivals=poisson(200/s)' --out ${out}; printf EXIT=$?; sleep 30`,
      80,
      24,
    );
    try {
      const end = await tty.waitFor(/EXIT=\d/, 120);
      const lines = end.split('\n');
      // The title is still the first line, above the journeys, every budget and the report paths
      // (EXIT= stands where the shell's prompt would).
      expect(lines[0]).toMatch(/^backline run spotify {2}seed 2026 {2}replication 1\/1 .* done$/);
      expect(end).toMatch(/^journey\s+thr\/s\s+p50\s+p99\s+errors {2}budget {6}by cause$/m);
      expect(end).toMatch(/^play\s+\S+\s+\S+ms\s+\S+ms\s+0\.\d% {2}✓ pass {6}error×\d+/m);
      expect(end).toContain('✓ plays.lag.p99 < 10s (');
      expect(end).toContain('✓ p2p.server_share < 15% (');
      // Play's error-rate sparkline spans the run: the license errors (210–240 s of 300) stand out in
      // cells 5–6 of 8, where it read ▁▁▁▁▁▁▁▁ when it showed only the last snapshots.
      const err = end.match(/^play .* err ([▁▂▃▄▅▆▇█]+) /m)?.[1] ?? '';
      expect(err).toHaveLength(8);
      expect(err.slice(0, 4)).toMatch(/^[▁▂]+$/);
      expect(err.slice(5, 7)).toContain('█');
      expect(end).toContain(join(out, 'summary.md'));
      expect(end).toContain('EXIT=0');
    } finally {
      tty.close();
    }
  });

  it('keeps the title of the last frame when the report paths wrap at 80 columns', async () => {
    // Six journeys want more rows than 80×24 has. Each path in this folder takes two rows: counted
    // as one line each, they scrolled the frame's title away (line 0 read the `home` journey row).
    const out = join(mkdtempSync(join(tmpdir(), 'backline-tty-')), `reports-${'x'.repeat(70)}`);
    const tty = new TmuxSession(
      `${backline} run --no-history ${join(FIX, 'six-journeys.yaml')} --out ${out}; printf EXIT=$?; sleep 30`,
      80,
      24,
    );
    try {
      const end = await tty.waitFor(/EXIT=\d/, 60);
      const lines = end.split('\n');
      expect(lines[0]).toMatch(/^backline run six-journeys {2}seed 5 {2}replication 1\/1 .* done$/);
      expect(end).toMatch(/^budgets ✗ login\.p99 < 100ms \(\S+\)/m);
      // Under the frame: budget failed, finished in, 4 paths of 2 rows, the prompt: 23 - 10 = 13 rows.
      const failed = lines.indexOf('budget failed: login.p99 < 100ms');
      expect(failed).toBeGreaterThanOrEqual(11);
      expect(failed).toBeLessThanOrEqual(13);
      expect(end.replaceAll('\n', '')).toContain(join(out, 'summary.md'));
      expect(end).toContain('EXIT=1');
      for (const line of lines) expect([...line.trimEnd()].length).toBeLessThanOrEqual(80);
    } finally {
      tty.close();
    }
  });
});
