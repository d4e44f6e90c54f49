/**
 * Every scenario text the project ships: the YAML files in git (catalog, fixtures) and the ```yaml
 * blocks of README.md and scenarios/CONTRACT.md, each with a name to report.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from '../cli.js';

/** One shipped scenario text. */
export interface ShippedYaml {
  name: string;
  text: string;
}

/** The files in git ending in .yaml/.yml, and the YAML blocks of the two documents people copy from. */
export function shippedYaml(): ShippedYaml[] {
  const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const out = files.map((f) => ({ name: f, text: readFileSync(`${ROOT}${f}`, 'utf8') }));
  for (const doc of ['README.md', 'scenarios/CONTRACT.md']) {
    const md = readFileSync(`${ROOT}${doc}`, 'utf8');
    for (const m of md.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
      const line = md.slice(0, m.index).split('\n').length + 1;
      out.push({ name: `${doc}:${line}`, text: m[1] });
    }
  }
  return out;
}
