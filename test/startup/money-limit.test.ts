/**
 * The money limit's currency prefix is written as `\u20AC`/`\u00A3` escapes in its regular
 * expression, so the code-cached bundle stays ASCII (read as latin1, `cli/code-cache.ts`): the
 * euro and pound signs must still be read, and nothing else dropped.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenarios/load.js';

const load = (limit: string) =>
  loadScenario('scenarios/catalog/autoscale-lag.yaml', [`budgets.cost.cost=${limit}`]).budgets.find(
    (b) => b.subject === 'cost',
  );

describe('money limits with a currency sign', () => {
  it('reads < €12, < £12, < $12 and < 12 alike, and refuses ¥12', () => {
    for (const limit of ['< €12', '< £12', '< $12', '< 12']) expect(load(limit)?.limit, limit).toBe(12);
    expect(() => load('< ¥12')).toThrow(/budgets/);
  });
});
