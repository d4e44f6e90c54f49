import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { sweepJobManifests } from '../../cli/sweep-job.js';
import { parseShard, shardPoints } from '../../cli/sweep-shard.js';
import { sweepSection } from '../../reports/html/sweep.js';
import { backline, backlineAsync, ROOT } from '../cli.js';
import { manifestErrors } from '../load/k8s-schemas.js';

const dir = mkdtempSync(join(tmpdir(), 'backline-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 12 points (4 rates × 3 worker counts) of a small M/M/c, short enough for seconds per process.
const GRID = [
  'sweep',
  join(ROOT, 'test/whatif/fixtures/mm1.yaml'),
  '--set',
  'duration=300s',
  '--set',
  'warmup=10s',
  '--replications',
  '2',
  '--vary',
  'users.arrivals=poisson(0.2/s)..poisson(0.8/s):4',
  '--vary',
  'services.server.workers=1,2,3',
  '--workers',
  '1',
];

describe('sharded sweeps', () => {
  it('slices the grid round robin, every point exactly once', () => {
    expect(shardPoints(12, parseShard('1/3'))).toEqual([0, 3, 6, 9]);
    expect(shardPoints(12, parseShard('3/3'))).toEqual([2, 5, 8, 11]);
    expect(shardPoints(2, parseShard('3/3'))).toEqual([]);
    const all = [1, 2, 3, 4, 5].flatMap((i) => shardPoints(13, parseShard(`${i}/5`)));
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i));
  });

  it('3 shards in 3 processes merge into a sweep.json byte-identical to the unsharded run', async () => {
    const outs = [1, 2, 3].map((i) => join(dir, `shard-${i}`));
    const [whole, ...shards] = await Promise.all([
      backlineAsync([...GRID, '--out', join(dir, 'whole')]),
      ...outs.map((o, i) => backlineAsync([...GRID, '--shard', `${i + 1}/3`, '--out', o])),
    ]);
    expect(whole.code).toBe(0);
    expect(shards.map((s) => s.code)).toEqual([0, 0, 0]);
    const partial = JSON.parse(readFileSync(join(outs[1], 'sweep.json'), 'utf8'));
    expect(partial.shard).toEqual({ index: 2, count: 3, positions: [1, 4, 7, 10] });
    const merged = join(dir, 'merged.json');
    // Shards in any order.
    const m = backline(['merge', ...[2, 0, 1].map((i) => join(outs[i], 'sweep.json')), '--out', merged]);
    expect(m.stderr).toMatch(/wrote/);
    expect(m.code).toBe(0);
    const a = readFileSync(join(dir, 'whole', 'sweep.json'), 'utf8');
    const b = readFileSync(merged, 'utf8');
    expect(JSON.parse(b).points).toHaveLength(12);
    expect(b === a).toBe(true);
    // A merged sweep is a result: `report` renders it; a single shard is refused.
    const rep = backline(['report', merged, '--out', join(dir, 'report')]);
    expect(rep.code).toBe(0);
    const html = readFileSync(join(dir, 'report', 'report.html'), 'utf8');
    expect(html).toContain('<figcaption>req p99 (ms)</figcaption>');
    expect(html.match(/<td style=/g)).toHaveLength(24);
    const one = backline(['report', join(outs[0], 'sweep.json')]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/one shard of a sweep/);
  });

  it('the heatmap scale is never narrower than the 95 % intervals: noise is not painted', () => {
    const cell = (p99: number, half: number, x: string) => ({
      values: { k: x },
      result: { journeys: { j: { latency: { p99 }, ci: { p99: [p99 - half, p99 + half] }, errorRate: 0 } } },
    });
    const within = sweepSection({ vars: ['k'], points: [cell(10, 10, 'a'), cell(11, 10, 'b')] });
    const colours = (h: string) => [...h.matchAll(/background:(#[0-9a-f]{6})/g)].map((m) => m[1]).slice(0, 2);
    expect(new Set(colours(within)).size).toBe(1);
    expect(within).toContain('within one 95 % interval');
    const apart = sweepSection({ vars: ['k'], points: [cell(10, 0.1, 'a'), cell(11, 0.1, 'b')] });
    expect(new Set(colours(apart)).size).toBe(2);
  });

  it('a shard spec out of range is exit 2; missing, repeated or foreign shards do not merge', () => {
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1/3/4']) {
      const r = backline([...GRID, '--shard', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--shard expects i\/n/);
    }
    const s1 = join(dir, 'shard-1', 'sweep.json');
    const s2 = join(dir, 'shard-2', 'sweep.json');
    const missing = backline(['merge', s1, s2]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing shard\(s\) 3\/3/);
    const twice = backline(['merge', s1, s1, s2]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/shard 1\/3 given twice/);
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, readFileSync(s2, 'utf8').replace('"seed": 3,', '"seed": 4,'));
    const other = backline(['merge', s1, foreign, join(dir, 'shard-3', 'sweep.json')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/foreign\.json: a shard of another sweep \(seed differs/);
  });
});

describe('sweep as a Kubernetes Indexed Job', () => {
  it('passes the batch/v1 Job and ConfigMap checks; the shard comes from JOB_COMPLETION_INDEX', () => {
    const hostile = 'users.arrivals=poisson(1/s) $(HOME) "; rm -rf / #\n`x`';
    const yaml = sweepJobManifests({
      name: 'Spotify',
      scenario: 'spotify',
      args: ['--vary', 'services.gateway.replicas=6,8', '--set', hostile],
      shards: 4,
      resultsPvc: 'sweeps',
      image: 'registry.example/backline:1',
    });
    const [cm, job] = parseAllDocuments(yaml).map((d) => d.toJS());
    expect(manifestErrors(cm)).toEqual([]);
    expect(manifestErrors(job)).toEqual([]);
    expect(cm.data['scenario.yaml']).toBe(readFileSync(join(ROOT, 'scenarios/catalog/spotify.yaml'), 'utf8'));
    expect(job.spec).toMatchObject({
      completionMode: 'Indexed',
      completions: 4,
      parallelism: 4,
      backoffLimit: 0,
    });
    const [c] = job.spec.template.spec.containers;
    expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c.command[2]).toContain('--shard "$$((JOB_COMPLETION_INDEX + 1))/$SHARDS"');
    // The sweep's arguments are positional parameters ("$@"), never shell text; `$(` stays literal.
    expect(c.command.slice(4)).toEqual([
      '/backline/scenario/scenario.yaml',
      '--vary',
      'services.gateway.replicas=6,8',
      '--set',
      hostile.replace('$(HOME)', () => '$$(HOME)'),
    ]);
    expect(c.env).toContainEqual({ name: 'SHARDS', value: '4' });
    expect(job.spec.template.spec.volumes[1]).toEqual({
      name: 'results',
      persistentVolumeClaim: { claimName: 'sweeps' },
    });
  });

  it('the CLI validates every point before writing the Job, and needs --results-pvc', () => {
    const ok = backline([...GRID, '--k8s-job', '--parallelism', '3', '--results-pvc', 'r']);
    expect(ok.code).toBe(0);
    expect(parseAllDocuments(ok.stdout).map((d) => manifestErrors(d.toJS()))).toEqual([[], []]);
    const noPvc = backline([...GRID, '--k8s-job']);
    expect(noPvc.code).toBe(2);
    expect(noPvc.stderr).toMatch(/--results-pvc/);
  });
});
