import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../results/errors.js';
import { catalogDir, isPath, listCatalog, resolveScenario } from './catalog.js';
import { loadScenario } from './load.js';

describe('catalog', () => {
  it('lives in scenarios/catalog at the package root', () => {
    expect(catalogDir()).toBe(resolve('scenarios/catalog'));
    expect(existsSync(join(catalogDir(), 'mmc.yaml'))).toBe(true);
  });

  it('lists each scenario with its about line', () => {
    expect(listCatalog().find((e) => e.name === 'mmc')).toEqual({
      name: 'mmc',
      about: 'M/M/4 queue at 80 % load (λ=3.2/s, μ=1/s); Erlang-C gives W = 1.745541 s.',
      file: join(catalogDir(), 'mmc.yaml'),
    });
  });

  it('resolves a name to its catalog file and leaves paths alone', () => {
    expect(resolveScenario('mmc')).toBe(resolve('scenarios/catalog/mmc.yaml'));
    expect(resolveScenario('./mine.yaml')).toBe('./mine.yaml');
    expect(resolveScenario('mine.yml')).toBe('mine.yml');
    expect(resolveScenario('dir/mine')).toBe('dir/mine');
  });

  it('tells paths from names', () => {
    expect([isPath('mmc'), isPath('a/b'), isPath('x.yaml'), isPath('x.YML')]).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it('suggests the closest name for an unknown one', () => {
    expect(() => resolveScenario('mmcc')).toThrow(
      new ScenarioError([
        {
          file: 'mmcc',
          line: 0,
          col: 0,
          message: 'unknown scenario `mmcc`: not a file path nor a catalog name; did you mean `mmc`?',
        },
      ]),
    );
    expect(() => resolveScenario('zzzzzzzz')).toThrow(/the catalog has .*`mmc`/);
  });
});

describe('every catalog scenario', () => {
  it.each(listCatalog().map((e) => e.name))('%s loads and has an about line', (name) => {
    const s = loadScenario(name);
    expect(s.name).toBe(name);
    expect(s.about?.length).toBeGreaterThan(0);
  });
});

describe('listCatalog', () => {
  it('shows an about line for every catalog scenario, including those with unquoted calls', () => {
    const entries = listCatalog();
    expect(entries.length).toBeGreaterThanOrEqual(11);
    for (const e of entries) expect(e.about, e.name).not.toBe('');
  });
});
