/**
 * Golden outputs: `backline sim NAME --seed S --json --no-history` for every catalog scenario at
 * seeds 1 and 7, compared byte for byte. A structural change must keep them identical; a model
 * change that alters them on purpose regenerates them with `test/golden/make.sh` in the same commit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backline, ROOT } from '../cli.js';

const SEEDS = [1, 7];
const names = readdirSync(`${ROOT}scenarios/catalog`)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

describe('golden sim outputs', () => {
  it('has a golden file for every catalog scenario at both seeds and none for a removed one', () => {
    const expected = names.flatMap((n) => SEEDS.map((s) => `${n}.seed${s}.json`)).sort();
    const present = readdirSync(`${ROOT}test/golden`)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(present).toEqual(expected);
  });

  for (const name of names) {
    for (const seed of SEEDS) {
      // spotify-2010 simulates 2 h of a P2P swarm: ~20 s alone, past 60 s when CI runs test files side by side.
      it(`${name} at seed ${seed} prints the golden JSON byte for byte`, { timeout: 180_000 }, () => {
        const golden = readFileSync(`${ROOT}test/golden/${name}.seed${seed}.json`, 'utf8');
        const r = backline(['sim', name, '--seed', String(seed), '--json', '--no-history']);
        expect(r.code).toBe(0);
        // On a difference, name the first differing line: a diff of the whole file buries it.
        const got = r.stdout.split('\n');
        const want = golden.split('\n');
        const i = got.findIndex((line, k) => line !== want[k]);
        expect(i < 0 ? 'identical' : `line ${i + 1}: ${got[i]}`).toBe(
          i < 0 ? 'identical' : `line ${i + 1}: ${want[i]}`,
        );
        expect(r.stdout).toBe(golden);
      });
    }
  }
});
