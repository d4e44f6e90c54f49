/**
 * Checks of region names and shares: users' shares add up to 100 %, and every region a service,
 * store, latency pair or CDN edge names is declared.
 */
import { type Names, regionProblem } from './names.js';
import { type Ctx, isRecord, num, type Path, type Rec, recordOf } from './raw-values.js';
import { splitPair } from './regions.js';

/** Region shares and every region name outside the `regions` section. */
export function checkRegions(value: Rec, n: Names, ctx: Ctx): void {
  const at = (r: unknown, path: Path, atKey = false) => {
    const problem = regionProblem(r, n);
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem, params: { atKey } });
  };
  if (n.declaredRegions) {
    let sum = 0;
    let known = true;
    for (const r of Object.values(recordOf(value.regions))) {
      const u = num(recordOf(r).users);
      if (u === undefined) known = false;
      else sum += u;
    }
    if (known && Math.abs(sum - 1) > 1e-9)
      ctx.addIssue({
        code: 'custom',
        path: ['regions'],
        message: `the regions' user shares add up to ${Number((sum * 100).toPrecision(6))}%, not 100%`,
      });
  }
  for (const kind of ['services', 'stores'] as const) {
    for (const [name, def] of Object.entries(recordOf(value[kind]))) {
      const regions = recordOf(def).regions;
      if (Array.isArray(regions))
        regions.forEach((r, i) => {
          at(r, [kind, name, 'regions', i]);
        });
    }
  }
  const latency = value.latency;
  if (isRecord(latency) && Array.isArray(latency.pairs)) {
    for (const p of latency.pairs) {
      const { a, b } = recordOf(p);
      at(a, ['latency', `${a}<->${b}`], true);
      if (b !== a) at(b, ['latency', `${a}<->${b}`], true);
    }
  } else if (isRecord(latency)) {
    for (const key of Object.keys(latency)) {
      const pair = splitPair(key);
      if (pair) for (const r of new Set(pair)) at(r, ['latency', key], true);
    }
  }
  for (const edge of Object.keys(recordOf(recordOf(value.cdn).edges))) at(edge, ['cdn', 'edges', edge], true);
}
