import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOutDir, writeReports } from '../../cli/write-reports.js';
import { RunError } from '../../results/errors.js';
import { fullResult } from './fixture.js';

describe('writeReports', () => {
  it('writes the four reports atomically and leaves no temporary files', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'backline-reports-')), 'nested', 'out');
    const r = fullResult();
    const paths = writeReports(r, { outDir: dir, scenario: r.scenario.name, predicted: fullResult(1.1) });
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual([
      'result.json',
      'report.html',
      'junit.xml',
      'summary.md',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'report.html', 'result.json', 'summary.md']);
    expect(JSON.parse(readFileSync(paths[0], 'utf8')).events).toBe(123456);
    expect(readFileSync(paths[1], 'utf8')).toContain('<h2>Predicted vs measured</h2>');
    // Writing again replaces the files whole.
    writeReports(r, { outDir: dir, scenario: r.scenario.name });
    expect(readFileSync(paths[1], 'utf8')).not.toContain('<h2>Predicted vs measured</h2>');
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it('names the default folder out/<scenario>-<UTC time>-<hash>, with a counter when it exists', () => {
    const root = mkdtempSync(join(tmpdir(), 'backline-out-'));
    const r = fullResult();
    const at = new Date('2026-11-28T10:45:12.345Z');
    const a = defaultOutDir('shop/checkout peak', r, root, at);
    expect(a).toMatch(/shop_checkout_peak-20261128T104512Z-[0-9a-f]{8}$/);
    writeReports(r, { outDir: a, scenario: 'x' });
    expect(defaultOutDir('shop/checkout peak', r, root, at)).toBe(`${a}-2`);
  });

  it('throws a RunError when the folder cannot be created', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'backline-file-')), 'plain');
    writeFileSync(file, 'not a folder');
    expect(() => writeReports(fullResult(), { outDir: join(file, 'out'), scenario: 's' })).toThrow(RunError);
    expect(() => writeReports(fullResult(), { outDir: join(file, 'out'), scenario: 's' })).toThrow(
      /^cannot write the reports to .*plain\/out: ENOTDIR/,
    );
  });
});
