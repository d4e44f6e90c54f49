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
/** Spans per IPC message when the twin hands its Zipkin spans over. */
const SPANS_PER_MESSAGE = 5000;

function post(message: ParentMessage): void {
  if (process.connected) process.send?.(message);
}

/** Posts `message` and resolves once it is written to the channel (or the parent is gone). */
function sent(message: ParentMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.connected && process.send) process.send(message, undefined, {}, () => resolve());
    else resolve();
  });
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
    // After stop: the spans still open then are ended (`unfinished`) and kept too. In chunks, each
    // sent before the next: one message of 100 000 spans is tens of MB to serialize at once.
    const kept = twin.zipkin();
    for (let i = 0; kept && (i === 0 || i < kept.spans.length); i += SPANS_PER_MESSAGE)
      await sent({
        type: 'spans',
        spans: kept.spans.slice(i, i + SPANS_PER_MESSAGE),
        dropped: i === 0 ? kept.dropped : 0,
      });
  }
  // Disconnecting with a write still queued would drop it: wait until `stopped` is out.
  await sent({ type: 'stopped' });
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
