/**
 * Worker-thread entry of `--workers N`: prepares its slice, says `ready`, starts at the shared
 * start time the parent sends with `go`, posts a live view every 250 ms and, at the end (or on
 * `stop`), its collector and generator states for an exact merge.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CollectorState } from '../collector.js';
import type { FlowStatsState } from '../flow/stats.js';
import type { GeneratorState } from './generator.js';
import { localTime, prepareSlice, type SliceArgs } from './slice.js';

/** Messages from a slice worker to the parent. */
export type SliceMessage =
  | { type: 'ready' }
  | { type: 'live'; state: CollectorState; generator: GeneratorState; elapsed: number }
  | {
      type: 'done';
      seconds: number;
      stopped: boolean;
      state: CollectorState;
      generator: GeneratorState;
      flows?: FlowStatsState;
    }
  | { type: 'error'; message: string; code?: string };

/** Messages from the parent. */
export type ParentMessage = { type: 'go'; startEpoch: number } | { type: 'stop' };

const port = parentPort;
if (port) {
  const post = (m: SliceMessage) => port.postMessage(m);
  try {
    const slice = prepareSlice(workerData as SliceArgs);
    let last = -1;
    port.on('message', (m: ParentMessage) => {
      if (m.type === 'stop') slice.stop();
      else
        slice
          .run(localTime(m.startEpoch), (t) => {
            slice.collector.advance(t);
            if (t - last < 0.25) return;
            last = t;
            post({
              type: 'live',
              state: slice.collector.state(false),
              generator: slice.monitor.state(),
              elapsed: t,
            });
          })
          .then(({ seconds, stopped }) => {
            post({
              type: 'done',
              seconds,
              stopped,
              state: slice.collector.state(),
              generator: slice.monitor.state(),
              flows: slice.flowStats(),
            });
            port.close();
          })
          .catch((e: Error & { code?: string }) => post({ type: 'error', message: e.message, code: e.code }));
    });
    post({ type: 'ready' });
  } catch (e) {
    const err = e as Error & { code?: string };
    post({ type: 'error', message: err.message, code: err.code });
  }
}
