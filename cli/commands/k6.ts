/**
 * `backline k6 <scenario>`: the TypeScript k6 script for a scenario (stdout, or `--out` written
 * atomically); with `--operator --parallelism N`, the k6-operator TestRun and ConfigMap instead.
 */
import type { Command } from 'commander';
import { assertPodReachable, operatorManifests } from '../../loadtests/k6/operator.js';
import { k6Script } from '../../loadtests/k6/script.js';
import { envNames } from '../../loadtests/template.js';
import { UsageError } from '../../results/errors.js';
import { loadScenario } from '../../scenarios/load.js';
import { EXIT } from '../exit.js';
import { collect, intOption } from '../options.js';
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

/** Runs `k6` and returns the exit code. */
export async function k6Command(arg: string, opts: K6CommandOptions): Promise<number> {
  const scenario = loadScenario(arg, opts.set);
  let text: string;
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
    text = operatorManifests({
      name: scenario.name,
      parallelism,
      // The pods read TARGET from their env (set in the TestRun).
      script: k6Script(scenario),
      target,
      env,
      resultsPvc: opts.resultsPvc,
      namespace: opts.namespace,
    });
  } else {
    if (opts.parallelism !== undefined) throw new UsageError('--parallelism needs --operator');
    if (opts.resultsPvc !== undefined) throw new UsageError('--results-pvc needs --operator');
    text = k6Script(scenario, { target: opts.target });
  }
  if (opts.out) writeAtomic(opts.out, text);
  if (opts.json) {
    const kind = opts.operator ? 'k6-operator' : 'k6-script';
    const body = opts.out ? { file: opts.out } : { content: text };
    process.stdout.write(`${JSON.stringify({ kind, scenario: scenario.name, ...body }, null, 2)}\n`);
  } else if (opts.out) process.stderr.write(`wrote ${opts.out}\n`);
  else process.stdout.write(text);
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
    .option('--operator', 'write a k6-operator TestRun (k6.io/v1alpha1) plus the ConfigMap with the script')
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
