/**
 * `backline schema`: prints the JSON Schema of the scenario file format, for editor completion
 * (e.g. `# yaml-language-server: $schema=./scenario.schema.json`).
 */
import type { Command } from 'commander';
import { scenarioJsonSchema } from '../../scenarios/json-schema.js';
import { EXIT } from '../exit.js';

/** Runs `schema` and returns the exit code. */
export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return EXIT.pass;
}

/** Registers `schema`. */
export function register(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (for editor completion)')
    .option('--json', 'the schema is JSON already; accepted for symmetry with other commands')
    .action(() => {
      process.exitCode = schemaCommand();
    });
}
