/**
 * Shipped scenarios are plain YAML 1.2 that other tools read (issue 14): a strict YAML 1.2 parser and
 * PyYAML accept every one, and `validate` warns, with the fix, about an unquoted call they would not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { plainYamlWarnings } from '../../scenarios/plain-yaml.js';
import { quoteCalls } from '../../scenarios/yaml-calls.js';
import { backline } from '../cli.js';
import { shippedYaml } from './shipped-yaml.js';

const shipped = shippedYaml();

describe('shipped scenario files', () => {
  it('include the catalog, the fixtures and the README example', () => {
    const names = shipped.map((s) => s.name);
    expect(names).toContain('scenarios/catalog/spotify-2010.yaml');
    expect(names).toContain('test/fixtures/scenarios/design-example.yaml');
    expect(names.some((n) => n.startsWith('README.md:'))).toBe(true);
    expect(shipped.length).toBeGreaterThan(20);
  });

  it('parse under the yaml package in strict YAML 1.2 mode with no error or warning', () => {
    const problems: string[] = [];
    for (const { name, text } of shipped) {
      for (const doc of parseAllDocuments(text, { strict: true, version: '1.2', uniqueKeys: true })) {
        for (const e of [...doc.errors, ...doc.warnings])
          problems.push(`${name}: ${e.code} ${e.message.split('\n')[0]}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('mean the same to plain YAML as to the backline loader (no call is left for the loader to quote)', () => {
    for (const { name, text } of shipped) {
      expect({ name, misread: quoteCalls(text).misread }).toEqual({ name, misread: [] });
      expect(parseYaml(quoteCalls(text).text)).toEqual(parseYaml(text));
    }
  });

  it('parse with PyYAML when python3 has it', () => {
    const probe = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      console.log(`skipped: PyYAML is not importable (${probe.error?.message ?? probe.stderr.trim()})`);
      return;
    }
    const script =
      'import sys, json, yaml\nbad = []\nfor d in json.load(sys.stdin):\n  try: yaml.safe_load(d["text"])\n  except Exception as e: bad.append(d["name"] + ": " + str(e).splitlines()[0])\nprint(json.dumps(bad))';
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(shipped), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('unquoted calls', () => {
  const text = [
    'name: t',
    'services:',
    '  a: { time: lognormal(median: 2ms, p99: 12ms), workers: 2 }',
    "  b: { time: 'uniform(1ms, 2ms)' }",
    '  c:',
    '    time: uniform(1ms, 2ms)', // a plain scalar in block context: YAML reads it whole
    "    note: it's # exp(1s, 2s)",
  ].join('\n');

  it('are reported at their line:col with the quoted form to write, and only where plain YAML misreads them', () => {
    expect(plainYamlWarnings(text, 'x.yaml')).toEqual([
      "x.yaml:3:14  unquoted call `lognormal(median: 2ms, p99: 12ms)` is not plain YAML (PyYAML and yaml-language-server reject it); quote it: 'lognormal(median: 2ms, p99: 12ms)'",
    ]);
  });

  it('in a flow mapping, a comma alone is enough for YAML to split the call', () => {
    expect(plainYamlWarnings('a: { time: uniform(1ms, 2ms) }\nb: [exp(1s)]\n', 'y.yaml')).toEqual([
      "y.yaml:1:12  unquoted call `uniform(1ms, 2ms)` is not plain YAML (PyYAML and yaml-language-server reject it); quote it: 'uniform(1ms, 2ms)'",
    ]);
  });

  it('make `validate` warn on stdout and still exit 0; the quoted file validates without a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backline-plain-'));
    const body = (time: string) =>
      `name: q\nduration: 10s\nusers:\n  arrivals: poisson(1/s)\n  journeys:\n    j: { steps: [s] }\nservices:\n  s: { workers: 1, time: ${time} }\n`;
    writeFileSync(join(dir, 'unquoted.yaml'), body('lognormal(median: 2ms, p99: 12ms)'));
    writeFileSync(join(dir, 'quoted.yaml'), body("'lognormal(median: 2ms, p99: 12ms)'"));
    const warned = backline(['validate', join(dir, 'unquoted.yaml')]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain(`warning: ${join(dir, 'unquoted.yaml')}:8:26  unquoted call`);
    expect(warned.stdout).toContain("quote it: 'lognormal(median: 2ms, p99: 12ms)'");
    const quiet = backline(['validate', join(dir, 'quoted.yaml')]);
    expect(quiet).toEqual({ code: 0, stdout: 'ok: q (1 service, 1 journey)\n', stderr: '' });
  });
});
