/**
 * Entry point of the twin's own process (`process.ts` forks it): starts the twin of the scenario it
 * is sent, answers with its endpoints, pushes a snapshot of the services every 250 ms over IPC, and
 * on `stop` sends a last snapshot, closes every server, hands over the Zipkin spans it kept (when
 * asked to keep them) and exits. It exits too when the parent goes away (the IPC channel closes),
 * so a killed load run leaves no twin behind. Ctrl-C in a terminal
 * reaches the whole process group: the child ignores SIGINT and waits for the parent's `stop`, so
 * the parent still gets the final counters.
 */
import { BacklineError } from '../../results/errors.js';
import type { ParentMessage } from './process.js';
import { startTwin, type Twin, type TwinOptions } from './twin.js';
import type { TwinScenario } from './twin-scenario.js';

const SNAPSHOT_MS = 250;

function post(message: ParentMessage): void {
  if (process.connected) process.send?.(message);
}

let twin: Twin | undefined;
let ticker: NodeJS.Timeout | undefined;
let withFigures = false;

const snapshot = (): void => {
  if (twin)
    post({
      type: 'snapshot',
      now: twin.now(),
      services: twin.services(),
      ...(withFigures ? { figures: twin.figures() } : {}),
    });
};

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (ticker) clearInterval(ticker);
  if (twin) {
    snapshot();
    await twin.stop();
    // After stop: the spans still open then are ended (`unfinished`) and kept too.
    const kept = twin.zipkin();
    if (kept) post({ type: 'spans', spans: kept.spans, dropped: kept.dropped });
  }
  post({ type: 'stopped' });
  if (process.connected) process.disconnect();
  process.exitCode = code;
}

process.on('SIGINT', () => {});
process.on('disconnect', () => {
  void shutdown(0);
});
process.on(
  'message',
  (m: { type: 'start'; scenario: TwinScenario; opts: TwinOptions } | { type: 'stop' }) => {
    if (m.type === 'stop') {
      void shutdown(0);
      return;
    }
    withFigures = m.opts.figures === true;
    startTwin(m.scenario, m.opts).then(
      (t) => {
        twin = t;
        post({ type: 'ready', endpoints: t.endpoints, faults: t.faults, unserved: t.unserved, now: t.now() });
        ticker = setInterval(snapshot, SNAPSHOT_MS);
      },
      (err: unknown) => {
        const e = err as Error;
        post({
          type: 'error',
          code: err instanceof BacklineError ? err.code : undefined,
          message: e?.message ?? String(err),
        });
        void shutdown(3);
      },
    );
  },
);
