import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenarios/load.js';
import { simulate, simulateSync } from './run.js';

const quick = ['duration=2000s', 'warmup=100s', 'replications=2'];

describe('simulate (the run handle)', () => {
  it('delivers the first snapshot to a listener attached after simulate() returns', async () => {
    const run = simulate(loadScenario('mmc', quick), { sliceEvents: 2000 });
    const times: number[] = [];
    run.on('snapshot', (s) => times.push(s.time));
    await run.result;
    expect(times.length).toBeGreaterThan(2);
    expect(times[0]).toBeLessThan(2000);
  });

  it('gives the same result watched in slices as run silently', async () => {
    const s = loadScenario('mmc', quick);
    const watched = await simulate(s, { sliceEvents: 1000 }).result;
    expect(JSON.stringify(watched)).toBe(JSON.stringify(simulateSync(s)));
  });

  it('stop() ends early and keeps a partial result', async () => {
    const run = simulate(loadScenario('mmc', quick), { sliceEvents: 500 });
    run.on('snapshot', (snap) => {
      if (snap.time > 1000) run.stop();
    });
    const r = await run.result;
    expect(r.partial).toBe(true);
    expect(r.replications).toBe(1);
    expect(r.window.end).toBeLessThan(2000);
    expect(r.journeys.req.count).toBeGreaterThan(0);
  });
});
