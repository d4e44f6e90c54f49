/** The located messages (`line:col message`) of loading scenario `text` written to `file`. */
import { writeFileSync } from 'node:fs';
import { ScenarioError } from '../../results/errors.js';
import { loadScenario } from '../../scenarios/load.js';

/** Writes `text` to `file`, loads it and returns its problems as `line:col message` (none: `[]`). */
export function problemsOf(file: string, text: string): string[] {
  writeFileSync(file, text);
  try {
    loadScenario(file);
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.issues.map((i) => `${i.line}:${i.col} ${i.message}`);
  }
}
