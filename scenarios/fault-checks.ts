/**
 * Checks of the `faults` section: each fault starts within the run, names a target, region or pair
 * that exists, and crashes no more units than the target has.
 */
import { ALL } from './faults.js';
import { type Names, regionProblem, targetProblem } from './names.js';
import { type Ctx, isRecord, num, type Path, type Rec, recordOf } from './raw-values.js';
import { splitPair } from './regions.js';
import { didYouMean, listOf } from './suggest.js';
import { formatDuration } from './units.js';

/** How many units a crash can take down: replicas, shards or consumer instances. */
function sizeOf(target: string, value: Rec): number | undefined {
  const [head, name] = target.split('.');
  if (head === 'stores' && name) {
    // A store with regions has a ring of `shards` nodes in each.
    const store = recordOf(recordOf(value.stores)[name]);
    const shards = num(store.shards);
    return shards === undefined
      ? undefined
      : shards * Math.max(1, Array.isArray(store.regions) ? store.regions.length : 1);
  }
  if (head === 'streams' && name)
    return num(recordOf(recordOf(recordOf(value.streams)[name]).consume).instances);
  const svc = recordOf(recordOf(value.services)[target]);
  const auto = num(recordOf(svc.autoscale).max);
  const replicas = num(svc.replicas);
  return replicas === undefined ? undefined : Math.max(replicas, auto ?? 0);
}

/** Every fault's start, target and count. */
export function checkFaults(value: Rec, n: Names, ctx: Ctx): void {
  const faults = value.faults;
  if (!Array.isArray(faults)) return;
  const total = num(value.duration);
  faults.forEach((f, i) => {
    if (!isRecord(f)) return;
    const kind =
      typeof f.kind === 'string'
        ? f.kind
        : ['crash', 'outage', 'slow', 'errors', 'partition'].find((k) => k in f);
    if (kind === undefined) return;
    const path: Path = ['faults', i, kind];
    const at = num(f.at);
    if (at !== undefined && total !== undefined && at >= total)
      ctx.addIssue({
        code: 'custom',
        path: ['faults', i, 'at'],
        message: `this fault starts at ${formatDuration(at)}, after the run ends (duration ${formatDuration(total)})`,
      });
    if (kind === 'outage') {
      const problem = regionProblem(f.region ?? f.outage, n);
      if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
      return;
    }
    if (kind === 'partition') {
      const pair =
        typeof f.a === 'string'
          ? [f.a, f.b]
          : typeof f.partition === 'string'
            ? splitPair(f.partition)
            : undefined;
      for (const r of new Set(pair ?? [])) {
        const problem = regionProblem(r, n);
        if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
      }
      return;
    }
    const target = typeof f.target === 'string' ? f.target : f[kind];
    if (typeof target !== 'string') return;
    const [head, name] = target.split('.');
    let problem: string | undefined;
    if (head === 'streams' && kind === 'crash') {
      if (!n.streams.includes(name ?? ''))
        problem = `unknown stream \`${name ?? ''}\` in fault${didYouMean(name ?? '', n.streams) || (n.streams.length ? `; streams are ${listOf(n.streams)}` : '')}`;
    } else if (target.split('.').length > 1 && head !== 'stores') {
      problem = `bad fault target \`${target}\`: expected a service${kind === 'crash' ? ', `stores.<name>` or `streams.<name>`' : ' or `stores.<name>`'}`;
    } else problem = targetProblem(target, n, 'call')?.replace(/ in call/, ' in fault');
    if (problem) {
      ctx.addIssue({ code: 'custom', path, message: problem });
      return;
    }
    const count = num(f.count);
    const size = sizeOf(target, value);
    if (kind === 'crash' && count !== undefined && count !== ALL && size !== undefined && count > size)
      ctx.addIssue({
        code: 'custom',
        path: ['faults', i],
        message: `this fault crashes ${count} of \`${target}\`, which has only ${size}`,
      });
  });
}
