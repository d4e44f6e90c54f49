import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../results/run-result.js';
import { backlineAsync } from '../cli.js';

describe('the catalog flows run against the twin', () => {
  it('backline load mmc --twin runs its two-step flow: the captured journey is sent back and every check passes', async () => {
    const r = await backlineAsync(['load', 'mmc', '--twin', '--duration', '3', '--allow-late', '--json']);
    expect(r.code, r.stderr.slice(-1000)).toBe(0);
    const req = (JSON.parse(r.stdout) as RunResult).journeys.req;
    expect(req.count).toBeGreaterThan(0);
    expect(req.errors).toEqual({});
    // Step 2's URL holds what step 1 captured (json.journey), and its check reads it back.
    expect(req.steps?.map((s) => [s.name, s.count, s.statuses])).toEqual([
      ['get /v1/req', req.count, { '200': req.count }],
      ['get /v1/req #2', req.count, { '200': req.count }],
    ]);
    expect(req.checks).toEqual({ pass: 3 * req.count, fail: 0 });
  }, 120_000);
});
