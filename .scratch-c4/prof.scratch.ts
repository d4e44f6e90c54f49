import { it } from 'vitest';
import { loadScenario } from '../scenarios/load.js';
import { Content } from '../sim/content.js';
import { Kernel } from '../sim/kernel/kernel.js';
import { RandomStreams } from '../sim/kernel/random.js';
it('prof', () => {
  const s = loadScenario('spotify');
  let t = performance.now();
  const k = new Kernel(4096);
  const c = new Content(k, s, new RandomStreams(1, 0), { done: () => {} });
  console.log('build', (performance.now() - t) / 1000);
  t = performance.now();
  for (let i = 0; i < 200000; i++) c.request(c.target('stream'), i, i * 7);
  k.run(3000);
  console.log('200k plays', (performance.now() - t) / 1000, k.fired);
});
