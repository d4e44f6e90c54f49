/**
 * A load target started under clinic (Node.js Clinic, clinic@13): `doctor`, `flame` or
 * `heapprofiler` wraps the command, the load runs against it, and a Ctrl-C to its process group
 * makes clinic analyse what it collected and write its HTML report.
 *
 * Why the process group: clinic relays SIGINT to the target only for some tools; flame's 0x
 * waits for the target to get SIGINT itself, as it would from a terminal's Ctrl-C. So clinic is
 * started as the leader of its own group and the whole group is signalled, exactly like a
 * terminal does. Why `NO_INSIGHT=1`: without it clinic asks for telemetry consent on a TTY and
 * exits at once without one.
 *
 * clinic is an optional dependency (about 700 packages); when it did not install, the error says
 * how to get it and nothing is started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { TargetUnreachableError, ToolError } from '../errors.js';
import { assertReachable } from '../reachable.js';

/**
 * The clinic tools `--profile` accepts. Not `bubbleprof`: on Node 20 and later its target never
 * exits on SIGINT, so it never writes a report (clinicjs/node-clinic#477, seen here too).
 */
export const CLINIC_TOOLS = ['doctor', 'flame', 'heapprofiler'] as const;
/** One of {@link CLINIC_TOOLS}. */
export type ClinicTool = (typeof CLINIC_TOOLS)[number];

/** Path of clinic's `bin.js`, or undefined when the optional dependency is not installed. */
export function findClinic(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('clinic/bin.js');
  } catch {
    return undefined;
  }
}

/** Options of {@link startProfiled}. */
export interface ProfileOptions {
  tool: ClinicTool;
  /** The target's command line, e.g. `['node', 'server.js']`. */
  command: string[];
  /** Where clinic writes its data folder and HTML report. */
  dest: string;
  /**
   * The target's URL when known. Otherwise the first loopback URL the target prints
   * (`http://127.0.0.1:PORT`, `localhost`, `[::1]`) is taken.
   */
  target?: string;
  /** How long the target may take to listen (default 30 s). */
  readyTimeoutMs?: number;
  /** How long clinic may take to analyse after the stop (default 300 s). */
  analyseTimeoutMs?: number;
  cwd?: string;
  /** Receives clinic's and the target's output (default: discarded, kept for errors). */
  log?: NodeJS.WritableStream;
}

/** A running, profiled target. */
export interface ProfiledTarget {
  /** Base URL to load. */
  url: string;
  /** Stops the target like Ctrl-C, waits for clinic's analysis and returns its HTML report. */
  stop(): Promise<{ report: string }>;
  /** Kills the whole group without waiting for a report (for errors before the load). */
  kill(): void;
}

const LOOPBACK_URL = /https?:\/\/(?:127(?:\.\d{1,3}){3}|localhost|\[::1\]):\d+/;
const REPORT_LINE = /Generated HTML file is (file:\/\/\S+)/;
const OUTPUT_KEPT = 4000;

/** Starts `command` under clinic and resolves once the target accepts connections. */
export async function startProfiled(o: ProfileOptions): Promise<ProfiledTarget> {
  const bin = findClinic();
  if (!bin) {
    throw new ToolError(
      'clinic is not installed (it is an optional dependency): run `npm install clinic@13`, then try again',
    );
  }
  if (o.command.length === 0)
    throw new ToolError('--profile needs the target command after `--`, e.g. `-- node server.js`');
  const child = spawn(process.execPath, [bin, o.tool, '--open=false', '--dest', o.dest, '--', ...o.command], {
    cwd: o.cwd,
    env: { ...process.env, NO_INSIGHT: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const closed = new Promise<number | null>((resolve) => {
    child.on('close', (code) => resolve(code));
    child.on('error', () => resolve(-1));
  });
  let exited = false;
  const kill = () => signalGroup(child, 'SIGKILL');
  // A backline that dies must not leave a profiled server behind.
  process.once('exit', kill);
  void closed.then(() => {
    exited = true;
    process.off('exit', kill);
  });
  const onData = (d: Buffer) => {
    output = (output + d.toString()).slice(-OUTPUT_KEPT);
    o.log?.write(d);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const tail = () => output.trim().split('\n').slice(-8).join('\n');

  try {
    const url = await waitForTarget(
      o,
      () => output,
      () => exited,
      tail,
    );
    return {
      url,
      kill,
      async stop() {
        signalGroup(child, 'SIGINT');
        const timeout = o.analyseTimeoutMs ?? 300_000;
        let timer: NodeJS.Timeout | undefined;
        const code = await Promise.race([
          closed,
          new Promise<'timeout'>((r) => {
            timer = setTimeout(() => r('timeout'), timeout);
          }),
        ]);
        clearTimeout(timer);
        if (code === 'timeout') {
          kill();
          throw new ToolError(`clinic ${o.tool} did not finish its analysis within ${timeout / 1000} s`);
        }
        const m = REPORT_LINE.exec(output);
        if (!m) throw new ToolError(`clinic ${o.tool} exited (${code}) without a report:\n${tail()}`);
        return { report: fileURLToPath(m[1]) };
      },
    };
  } catch (err) {
    kill();
    throw err;
  }
}

async function waitForTarget(
  o: ProfileOptions,
  output: () => string,
  exited: () => boolean,
  tail: () => string,
): Promise<string> {
  const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited()) throw new ToolError(`the profiled target exited before it listened:\n${tail()}`);
    const url = o.target ?? LOOPBACK_URL.exec(output())?.[0];
    if (url) {
      try {
        await assertReachable(new URL(url), undefined, 500);
        return url;
      } catch (err) {
        if (!(err instanceof TargetUnreachableError)) throw err;
      }
    }
    if (Date.now() > deadline) {
      throw new TargetUnreachableError(
        o.target
          ? `the profiled target did not accept connections at ${o.target} within ${(o.readyTimeoutMs ?? 30_000) / 1000} s`
          : `the profiled target printed no loopback URL (like http://127.0.0.1:PORT) within ${(o.readyTimeoutMs ?? 30_000) / 1000} s; pass --target`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    // The group is already gone.
  }
}
