/**
 * `sweep … --k8s-job --parallelism N`: a Kubernetes Indexed Job (`completionMode: Indexed`,
 * `completions` = shards = N) whose pod `i` runs `backline sweep … --shard i+1/N` and writes its
 * partial result to the results volume; plus the ConfigMap holding the scenario file. The shard
 * comes from `JOB_COMPLETION_INDEX`, which the Job controller sets in every pod of an Indexed Job.
 * The sweep's own arguments are passed as positional shell parameters (`"$@"`), never pasted into
 * the shell text, so no value can become a command.
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { configMap, envLiteral, k8sName, meta } from '../loadtests/k6/k8s.js';
import { UsageError } from '../results/errors.js';
import { resolveScenario } from '../scenarios/load.js';

/** Options of the Job. */
export interface SweepJobOptions {
  name: string;
  /** The scenario argument as given (file or catalog name). */
  scenario: string;
  /** The sweep's arguments after the scenario (`--vary …`, `--set …`, `--seed …`). */
  args: string[];
  shards: number;
  resultsPvc: string;
  image: string;
  namespace?: string;
}

/** Where the pod finds the scenario and writes results. */
export const JOB_PATHS = { scenario: '/backline/scenario', results: '/results' } as const;

// $1… are the sweep's arguments; the index arithmetic is the only thing the shell computes.
const SCRIPT =
  'exec backline sweep "$@" --shard "$((JOB_COMPLETION_INDEX + 1))/$SHARDS" --out "$RESULTS/shard-$((JOB_COMPLETION_INDEX + 1))-of-$SHARDS"';

/** The ConfigMap and the Indexed Job as one multi-document YAML text. */
export function sweepJobManifests(o: SweepJobOptions): string {
  if (!Number.isInteger(o.shards) || o.shards < 1 || o.shards > 10_000)
    throw new UsageError(`--parallelism must be an integer from 1 to 10000, got ${o.shards}`);
  const pvc = k8sName(o.resultsPvc, 253);
  if (pvc !== o.resultsPvc)
    throw new UsageError(`--results-pvc \`${o.resultsPvc}\` is not a Kubernetes name (try \`${pvc}\`)`);
  const name = k8sName(`${o.name}-sweep`);
  const file = 'scenario.yaml';
  const cm = configMap(
    `${name}-scenario`,
    { [file]: readFileSync(resolveScenario(o.scenario), 'utf8') },
    o.namespace,
  );
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(name, o.namespace),
    spec: {
      completionMode: 'Indexed',
      completions: o.shards,
      parallelism: o.shards,
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'sweep',
              image: o.image,
              // The kubelet expands $(X) in commands: every `$(` is written `$$(` to stay literal.
              command: ['sh', '-c', SCRIPT, 'backline-sweep', `${JOB_PATHS.scenario}/${file}`, ...o.args].map(
                envLiteral,
              ),
              env: [
                { name: 'SHARDS', value: String(o.shards) },
                { name: 'RESULTS', value: JOB_PATHS.results },
                { name: 'CI', value: 'true' },
              ],
              resources: { requests: { cpu: '1' } },
              volumeMounts: [
                { name: 'scenario', mountPath: JOB_PATHS.scenario, readOnly: true },
                { name: 'results', mountPath: JOB_PATHS.results },
              ],
            },
          ],
          volumes: [
            { name: 'scenario', configMap: { name: cm.metadata.name } },
            { name: 'results', persistentVolumeClaim: { claimName: pvc } },
          ],
        },
      },
    },
  };
  return `${stringify(cm, { lineWidth: 0 })}---\n${stringify(job, { lineWidth: 0 })}`;
}
