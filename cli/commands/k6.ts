/**
 * `backline k6 <scenario>`: the TypeScript k6 script for a scenario (stdout, or `--out` written
 * atomically, with the feed files `feed.<name>.json` beside it); with `--operator --parallelism N`,
 * the k6-operator TestRun and the ConfigMap holding the script and its feed files instead.
 */
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { assertPodReachable, operatorManifests } from '../../loadtests/k6/operator.js';
import { k6Bundle } from '../../loadtests/k6/script.js';
import { envNames } from '../../loadtests/template.js';
import { UsageError } from '../../results/errors.js';
import { loadScenario } from '../../scenarios/load.js';
import { EXIT } from '../exit.js';
import { durationNotice } from '../load/duration-notice.js';
import { collect, intOption } from '../options.js';
import { checkWritable } from '../write-file.js';
import { writeAtomic } from '../write-reports.js';

/** Options of `k6`. */
export interface K6CommandOptions {
  out?: string;
  operator?: boolean;
  parallelism?: string;
  target?: string;
  namespace?: string;
  resultsPvc?: string;
  json?: boolean;
  set: string[];
}

/** Writes the feed files beside `out` (atomically, each). */
function writeBeside(out: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeAtomic(join(dirname(out), name), text);
}

/** Runs `k6` and returns the exit code. */
export async function k6Command(arg: string, opts: K6CommandOptions): Promise<number> {
  const scenario = loadScenario(arg, opts.set);
  const cut = durationNotice(scenario);
  if (cut) process.stderr.write(`backline: ${cut}\n`);
  let text: string;
  let files: Record<string, string> = {};
  let skipped: string[];
  if (opts.operator) {
    const target = assertPodReachable(opts.target ?? scenario.load?.target);
    if (!opts.resultsPvc)
      throw new UsageError(
        '--operator needs --results-pvc <claim>: runners write their points there, and a pod-local ' +
          'emptyDir is gone before `kubectl cp` could reach it (a finished pod cannot be exec’d, and k6 ' +
          'closes its JSON output only when it exits)',
      );
    const parallelism = intOption('parallelism', opts.parallelism, 1) ?? 1;
    // Every `${env.NAME}` the load section uses (target, steps, headers, bodies, session).
    const env = envNames(JSON.stringify(scenario.load ?? {}));
    // The pods read TARGET from their env (set in the TestRun).
    const bundle = k6Bundle(scenario);
    skipped = bundle.skipped;
    text = operatorManifests({
      name: scenario.name,
      parallelism,
      script: bundle.script,
      // The feeds ride in the ConfigMap beside the script, where its open() finds them.
      files: bundle.files,
      target,
      env,
      resultsPvc: opts.resultsPvc,
      namespace: opts.namespace,
    });
  } else {
    if (opts.parallelism !== undefined) throw new UsageError('--parallelism needs --operator');
    if (opts.resultsPvc !== undefined) throw new UsageError('--results-pvc needs --operator');
    const bundle = k6Bundle(scenario, { target: opts.target });
    ({ script: text, files, skipped } = bundle);
    if (Object.keys(files).length > 0 && !opts.out)
      throw new UsageError(
        `the scenario has feeds: pass --out <dir>/script.ts so ${Object.keys(files).join(', ')} can be written beside the script (its open() reads them from there)`,
      );
  }
  if (opts.out) {
    // A missing or unwritable folder is the user's path (exit 2, named), not a failed run.
    checkWritable(opts.out);
    writeBeside(opts.out, files);
    writeAtomic(opts.out, text);
  }
  for (const b of skipped)
    process.stderr.write(
      `backline: note: budget \`${b}\` has no k6 threshold (a name k6's tag syntax cannot select); \`backline merge --scenario\` checks it\n`,
    );
  if (opts.json) {
    const kind = opts.operator ? 'k6-operator' : 'k6-script';
    const body = opts.out ? { file: opts.out, files: Object.keys(files) } : { content: text };
    process.stdout.write(`${JSON.stringify({ kind, scenario: scenario.name, ...body }, null, 2)}\n`);
  } else if (opts.out) {
    for (const f of Object.keys(files)) process.stderr.write(`wrote ${join(dirname(opts.out), f)}\n`);
    process.stderr.write(`wrote ${opts.out}\n`);
  } else process.stdout.write(text);
  return EXIT.pass;
}

/** Registers `k6`. */
export function register(program: Command): void {
  program
    .command('k6')
    .description('export a TypeScript k6 script for a scenario, or a k6-operator TestRun')
    .argument('<scenario>', 'scenario file or catalog name')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--target <url>', 'default TARGET baked into the script (k6 -e TARGET=… overrides it)')
    .option(
      '--operator',
      'write a k6-operator TestRun (k6.io/v1alpha1) plus the ConfigMap with the script and its feeds',
    )
    .option('--parallelism <n>', 'runners of the TestRun (with --operator)')
    .option('--namespace <ns>', 'Kubernetes namespace of the manifests')
    .option(
      '--results-pvc <claim>',
      'PersistentVolumeClaim (ReadWriteMany) mounted at /results (with --operator)',
    )
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
    .option('--json', 'print {kind, scenario, content} (or {…, file} with --out) as JSON')
    .action(async (scenario: string, opts: K6CommandOptions) => {
      process.exitCode = await k6Command(scenario, opts);
    });
}
