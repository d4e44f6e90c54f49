/**
 * `backline validate <scenario> [--set k=v]… [--json]`: checks a scenario without running it and
 * prints the static capacity check. Exit 0 when it loads (capacity warnings do not fail it), 2 with
 * every mistake as `file:line:col  message` when it does not.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Command } from 'commander';
import { ScenarioError } from '../../results/errors.js';
import { escapeControl } from '../../results/escape.js';
import { capacityWarnings, offeredLoad } from '../../scenarios/capacity.js';
import { isPath } from '../../scenarios/catalog.js';
import { loadScenario, resolveScenario } from '../../scenarios/load.js';
import { plainYamlWarnings } from '../../scenarios/plain-yaml.js';
import { EXIT } from '../exit.js';
import { collect } from '../options.js';

/** Options of `validate`. */
export interface ValidateCommandOptions {
  json?: boolean;
  set: string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Unquoted calls other YAML tools misread, named as the loader names the file. */
function unquotedCallWarnings(arg: string): string[] {
  const path = resolveScenario(arg);
  const rel = relative(process.cwd(), path);
  return plainYamlWarnings(readFileSync(path, 'utf8'), isPath(arg) || rel.startsWith('..') ? path : rel);
}

/** Runs `validate` and returns the exit code. */
export async function validateCommand(arg: string, opts: ValidateCommandOptions): Promise<number> {
  let scenario: ReturnType<typeof loadScenario>;
  try {
    scenario = loadScenario(arg, opts.set);
  } catch (err) {
    if (!(opts.json && err instanceof ScenarioError)) throw err;
    process.stdout.write(`${JSON.stringify({ ok: false, issues: err.issues }, null, 2)}\n`);
    return EXIT.input;
  }
  const services = Object.keys(scenario.services).length;
  const journeys = Object.keys(scenario.users.journeys).length;
  const warnings = [...unquotedCallWarnings(arg), ...capacityWarnings(scenario)];
  if (opts.json) {
    const load = offeredLoad(scenario);
    process.stdout.write(
      `${JSON.stringify({ ok: true, name: scenario.name, services, journeys, warnings, offeredLoad: load }, null, 2)}\n`,
    );
    return EXIT.pass;
  }
  const lines = [`ok: ${scenario.name} (${plural(services, 'service')}, ${plural(journeys, 'journey')})`];
  for (const w of warnings) lines.push(`warning: ${escapeControl(w)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.pass;
}

/** Registers `validate`. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check a scenario (path or catalog name) without running it, with a capacity check')
    .argument('<scenario>', 'scenario file or catalog name')
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
    .option('--json', 'print the outcome as JSON on stdout')
    .action(async (scenario: string, opts: ValidateCommandOptions) => {
      process.exitCode = await validateCommand(scenario, opts);
    });
}
