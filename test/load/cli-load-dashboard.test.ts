import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../cli/dashboard/terminal-rows.js';
import { backlineAsync, ROOT } from '../cli.js';
import { hasTmux, TmuxSession } from '../tmux.js';
import { startServer } from './servers.js';

// 50/s for 1 s of `play` and `search`; budgets on `play` only.
const scenario = fileURLToPath(new URL('./fixtures/load-cli.yaml', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'backline-load-dash-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape sequences.
const ESC = /\x1b/;

describe('backline load off a terminal', () => {
  it('prints plain progress lines under CI=true and writes the reports', async () => {
    const s = await startServer();
    const out = join(tmp, 'plain');
    try {
      const r = await backlineAsync(['load', scenario, '--target', s.url, '--out', out, '--allow-late']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(
        /^load-cli\s+\d+%\s+\d\.\ds\/1\.0s {2}sent \d+ {2}in flight \d+ {2}\d+\.\d\/50\.0 req\/s {2}play p99 \S+ err 0\.0%/m,
      );
      expect(r.stderr).toMatch(
        /^load-cli {2}done {2}50 requests measured in \d+\.\ds {2}play \S+\/s p99 \S+ err 0\.0% {2}search /m,
      );
      expect(r.stderr).not.toMatch(ESC);
      expect(r.stdout).not.toMatch(ESC);
      expect(r.stdout).toContain('finished in');
      for (const f of ['result.json', 'report.html', 'junit.xml', 'summary.md'])
        expect(r.stdout).toContain(join(out, f));
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
      expect(result.journeys.play.count + result.journeys.search.count).toBe(50);
      expect(result.partial).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});

// Without tmux there is no terminal to draw on; the frames are still tested in test/dashboard/.
describe.skipIf(!hasTmux)('backline load on a real terminal (tmux)', () => {
  it('shows the load dashboard over the twin, stops on q and writes the partial result (exit 0)', async () => {
    const out = join(tmp, 'tty');
    const tty = new TmuxSession(
      `cd ${ROOT} && env -u CI ${process.execPath} dist/cli/main.js load ${scenario} --twin --duration 30s --out ${out} --allow-late; echo EXIT=$?; sleep 30`,
    );
    try {
      const live = await tty.waitFor(/^play\s+\d+\.\d+\s+\S+ms\s+\S+\s+0\.0% {2}✓ pass/m, 40);
      expect(live).toContain('backline load load-cli  open model · twin  seed 5  running');
      expect(live).toMatch(/\d+%\s+\d+\.\ds\/30\.0s {2}\d+\.\d\/50\.0 req\/s {2}\d+ sent {2}\d+ in flight/);
      expect(live).toMatch(/^gateway\s+1 [█░]+\s+\d+\.\d%\s+\S+ {2}-/m);
      expect(live).toContain('q stop (keep results)');
      for (const line of live.split('\n')) expect([...line.trimEnd()].length).toBeLessThanOrEqual(120);
      tty.keys('q');
      const end = await tty.waitFor(/EXIT=\d/, 40);
      expect(end).toContain('stopped (partial)');
      expect(end).toMatch(/stopped early after \d+\.\ds/);
      // Stopping keeps what was measured: the exit code is its budgets' verdict (cli/exit.ts), 0 here.
      expect(end).toContain('EXIT=0');
      expect(end).toContain(join(out, 'report.html'));
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
      expect(result.partial).toBe(true);
      expect(result.window.end).toBeLessThan(30);
      expect(result.journeys.play.count).toBeGreaterThan(0);
      expect(result.budgets.map((b: { pass: boolean }) => b.pass)).toEqual([true, true]);
    } finally {
      tty.close();
    }
  });

  it('keeps the header and the verdict of load spotify --twin on an 80×24 screen, the detail above it', async () => {
    // Issue 14: under the last frame came ~18 rows (the uncorrected table, the generator warning that
    // wraps to 3 rows, the report paths, the traces file) while the frame kept at least 10, so the
    // terminal scrolled its title away. --out and --traces alone make 14 rows of it.
    const out = join(tmp, 'spotify');
    const tty = new TmuxSession(
      `cd ${ROOT} && env -u CI ${process.execPath} dist/cli/main.js load spotify --twin --duration 3s --allow-late --out ${out} --traces ${join(tmp, 'spans.json')}; printf EXIT=$?; sleep 30`,
      80,
      24,
    );
    try {
      const end = await tty.waitFor(/EXIT=\d/, 90);
      const lines = end.split('\n');
      expect(lines[0]).toMatch(/^backline load spotify {2}open model · twin {2}seed 2026 {2}done$/);
      expect(lines[1]).toMatch(/ 100% {2}3\.0s\/3\.0s {2}\d+\.\d\/20\.0 req\/s {2}\d+ measured$/);
      // The verdict: the frame's budget line, and the failed budgets under the frame.
      expect(end).toMatch(/^budgets [✓✗] play\.p99 < 400ms \(\S+\) {3}[✓✗] play\.errors < 1% \(\S+\)$/m);
      const code = end.match(/EXIT=(\d)/)?.[1];
      expect(['0', '1']).toContain(code);
      if (code === '1') expect(end).toMatch(/^budget failed: play\./m);
      expect(end).toMatch(/^scroll up for: notices, uncorrected latency$/m);
      expect(end).toMatch(/^finished in \d+\.\ds$/m);
      expect(end).toContain(join(out, 'summary.md'));
      for (const line of lines) expect(displayWidth(line.trimEnd())).toBeLessThanOrEqual(80);
      // Nothing is lost: the notices and the whole table are in the scrollback above the frame.
      const back = tty.scrollback();
      expect(back).toMatch(/^latency from the actual send \(not corrected for coordinated omission\):$/m);
      for (const j of ['play', 'search', 'home', 'playlist'])
        expect(back).toMatch(new RegExp(`^${j}\\s+\\d+\\.\\d\\s+\\d+\\.\\d$`, 'm'));
      expect(back).toContain('not served: p2p');
      expect(back.indexOf('latency from the actual send')).toBeLessThan(
        back.lastIndexOf('backline load spotify'),
      );
    } finally {
      tty.close();
    }
  });
});
