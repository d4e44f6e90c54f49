/**
 * A real terminal for CLI tests: a detached tmux session of a given size running one shell command,
 * whose screen the test reads and types keys into. Tests skip when tmux is absent (`hasTmux`).
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** Whether tmux runs here; tests that need a terminal skip (and say why) without it. */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

let sessions = 0;

/** One tmux session; {@link TmuxSession.close} it in a `finally`. */
export class TmuxSession {
  readonly name: string;

  /** Starts `command` (a shell command line) on a `columns` × `rows` terminal. */
  constructor(command: string, columns = 120, rows = 40) {
    this.name = `backline-test-${process.pid}-${++sessions}`;
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(columns),
      '-y',
      String(rows),
      command,
    ]);
  }

  /** The visible screen, one line per row. */
  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  /** The screen and every line scrolled off above it, oldest first. */
  scrollback(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-S', '-', '-t', this.name], { encoding: 'utf8' });
  }

  /** The screen once it matches `re`, polled every 200 ms for up to `seconds`. */
  async waitFor(re: RegExp, seconds: number): Promise<string> {
    for (let i = 0; i < seconds * 5; i++) {
      const screen = this.screen();
      if (re.test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${re} on:\n${this.screen()}`);
  }

  /** Types `keys` into the terminal. */
  keys(keys: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, keys]);
  }

  /** Ends the session and what runs in it. */
  close(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
  }
}
