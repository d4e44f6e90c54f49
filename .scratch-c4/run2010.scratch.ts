import { it } from 'vitest';
import { loadScenario } from '../scenarios/load.js';
import { simulateContent } from '../sim/content.js';
import { Kernel } from '../sim/kernel/kernel.js';
import { RandomStreams } from '../sim/kernel/random.js';
it('run', () => {
  const name = process.env.SCN ?? 'spotify-2010';
  const sets = (process.env.SETS ?? '').split(' ').filter(Boolean);
  const s = loadScenario(name, sets);
  const t0 = performance.now();
  const r = simulateContent(s, new RandomStreams(s.seed, 0), new Kernel(4096));
  console.log(JSON.stringify({ ...r, wall: (performance.now() - t0) / 1000, heapMB: process.memoryUsage().heapUsed / 1e6 }));
});
