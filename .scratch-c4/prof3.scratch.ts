import { it } from 'vitest';
import { KeyIndex } from '../sim/models/cache.js';
it('prof', () => {
  for (const mk of [(i: number) => i, (i: number) => (i % 5000) * 1e7 + i]) {
    const k = new KeyIndex(4096);
    let t = performance.now();
    for (let i = 0; i < 1e6; i++) k.set(mk(i), i);
    const set = performance.now() - t;
    t = performance.now();
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += k.get(mk(i));
    console.log('set', set, 'get', performance.now() - t, x);
    const m = new Map<number, number>();
    t = performance.now();
    for (let i = 0; i < 1e6; i++) m.set(mk(i), i);
    console.log('map set', performance.now() - t);
  }
});
