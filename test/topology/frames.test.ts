import { describe, expect, it } from 'vitest';
import { CALL, Frames, MAX_REF } from '../../sim/topology/frames.js';

describe('frame refs', () => {
  it('stay below 2^48 (the content bridge P2P token base) however often a row is reused', () => {
    const f = new Frames(4);
    let top = 0;
    for (let i = 0; i < 2 ** 23 + 5; i++) {
      const id = f.alloc(CALL);
      top = Math.max(top, f.ref(id));
      f.release(id);
    }
    expect(MAX_REF).toBe(2 ** 48);
    expect(top).toBeLessThan(2 ** 48);
    // A ref taken before a release no longer names the row.
    const id = f.alloc(CALL);
    const ref = f.ref(id);
    expect(f.deref(ref)).toBe(id);
    f.release(id);
    expect(f.deref(ref)).toBe(-1);
  });
});
