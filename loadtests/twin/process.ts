/**
 * The twin in its own process, so the load generator and the twin do not share an event loop: a
 * busy generator would delay the twin's service timers (measured as service latency), and the twin's
 * work would delay the generator's sends. {@link spawnTwin} forks `child.ts`, which serves the
 * scenario and pushes snapshots of its services over IPC; the returned handle reads like the twin
 * itself (endpoints, services, clock, faults), so the dashboard and the result do not care where
 * it runs. `stop()` gets the final counters, waits for the child to exit (killing it after 5 s),
 * and the child exits on its own when this process dies.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { RunError, UsageError } from '../../results/errors.js';
import type { FaultMark, ServiceResult } from '../../results/run-result.js';
import type { TwinServiceFigures } from './meter.js';
import type { TwinEndpoints, TwinOptions } from './twin.js';
import type { TwinScenario } from './twin-scenario.js';
import type { UnservedPart } from './unserved.js';
import type { ZipkinSpans } from './zipkin.js';

/** Messages from the twin's process. */
export type ParentMessage =
  | { type: 'ready'; endpoints: TwinEndpoints; faults: FaultMark[]; unserved: UnservedPart[]; now: number }
  | {
      type: 'snapshot';
      now: number;
      services: Record<string, ServiceResult>;
      figures?: Record<string, TwinServiceFigures>;
    }
  | { type: 'error'; code?: string; message: string }
  /** Zipkin spans kept, in chunks, once the twin has stopped and ended its open spans. */
  | ({ type: 'spans' } & ZipkinSpans)
  | { type: 'stopped' };

/**
 * The compiled child next to this module; otherwise the build's: under the test runner (TypeScript
 * sources: a forked Node 20 cannot run `.ts` itself) and from the bundled CLI (`dist/cli/`).
 */
function childPath(): string {
  const next = fileURLToPath(new URL('./child.js', import.meta.url));
  const built = existsSync(next)
    ? next
    : fileURLToPath(new URL('../../dist/loadtests/twin/child.js', import.meta.url));
  if (!existsSync(built))
    throw new RunError(`the twin's process entry ${built} is missing: run \`npm run build\``);
  return built;
}

/** A twin running in a child process. */
export class TwinProcess {
  private latest: Record<string, ServiceResult> = {};
  private latestFigures: Record<string, TwinServiceFigures> | undefined;
  private kept: ZipkinSpans | undefined;
  private clock = { twin: 0, local: 0 };
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly endpoints: TwinEndpoints,
    readonly faults: FaultMark[],
    readonly unserved: UnservedPart[],
    now: number,
  ) {
    this.clock = { twin: now, local: performance.now() };
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.on('message', (m: ParentMessage) => {
      if (m.type === 'spans') {
        this.kept ??= { spans: [], dropped: 0 };
        for (const span of m.spans) this.kept.spans.push(span);
        this.kept.dropped += m.dropped;
      }
      if (m.type !== 'snapshot') return;
      this.latest = m.services;
      if (m.figures) this.latestFigures = m.figures;
      this.clock = { twin: m.now, local: performance.now() };
    });
  }

  /** The child's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Forks the twin's process and resolves once it serves. */
  static start(scenario: TwinScenario, opts: TwinOptions = {}): Promise<TwinProcess> {
    const child = fork(childPath(), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new RunError(`the twin's process exited (code ${code}) before serving`));
      child.once('exit', onExit);
      child.on('message', function first(m: ParentMessage) {
        if (m.type === 'ready') {
          child.off('message', first);
          child.off('exit', onExit);
          resolve(new TwinProcess(child, m.endpoints, m.faults, m.unserved, m.now));
        } else if (m.type === 'error') {
          child.off('message', first);
          child.off('exit', onExit);
          reject(
            m.code === 'E_USAGE'
              ? new UsageError(m.message)
              : new RunError(`the twin failed to start: ${m.message}`),
          );
        }
      });
      child.send({ type: 'start', scenario, opts });
    });
  }

  /** Seconds since the twin started, on its clock. */
  now(): number {
    return this.clock.twin + (performance.now() - this.clock.local) / 1000;
  }

  /** The services as of the last snapshot (at most 250 ms old; exact after `stop`). */
  services(): Record<string, ServiceResult> {
    return this.latest;
  }

  /** Per-service figures as of the last snapshot, when the twin was started with `figures`. */
  figures(): Record<string, TwinServiceFigures> | undefined {
    return this.latestFigures;
  }

  /**
   * The Zipkin v2 spans the twin kept when started with `tracing.zipkin`, once it has stopped
   * (undefined before, or when its process died without handing them over).
   */
  zipkin(): ZipkinSpans | undefined {
    return this.kept;
  }

  /** Asks the twin for its final counters and to stop; resolves when its process has exited. */
  async stop(): Promise<void> {
    // Killed after 5 s without a word; each chunk of spans handed over is a word (there may be
    // many). Messages arrive in order: `stopped` comes after the final snapshot and the spans.
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const stopped = new Promise<void>((resolve) => {
      this.child.on('message', (m: ParentMessage) => {
        if (m.type === 'spans') kill.refresh();
        if (m.type === 'stopped') resolve();
      });
      void this.exited.then(resolve);
    });
    if (this.child.connected) this.child.send({ type: 'stop' });
    await stopped;
    await this.exited;
    clearTimeout(kill);
  }
}

/** Starts the twin of `scenario` in its own process. */
export function spawnTwin(scenario: TwinScenario, opts: TwinOptions = {}): Promise<TwinProcess> {
  return TwinProcess.start(scenario, opts);
}
