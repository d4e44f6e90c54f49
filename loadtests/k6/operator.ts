/**
 * Distributed k6 on Kubernetes: a k6-operator `TestRun` (k6.io/v1alpha1) that runs the generated
 * script on `parallelism` runners, plus the ConfigMap holding the script (and feed files). Each
 * runner writes gzipped NDJSON points to a results volume, which `backline merge` combines into
 * one RunResult with budgets checked across all runners (k6-operator does not aggregate
 * thresholds, k6-operator#115).
 *
 * How a runner knows its index: k6-operator names runner `i` Job `<testrun>-<i>` and selects its
 * pods by the `job-name` label (grafana/k6-operator pkg/resources/jobs/runner.go, NewRunnerJob and
 * NewRunnerService); it also tags every metric `instance_id=<i>`. No env var carries the index, so
 * the runner's env gets `K6_RUNNER` from the downward API (`metadata.labels['job-name']`) and the
 * output path `$(K6_RUNNER)` is expanded by the kubelet in the container command.
 *
 * Feeds: k6-operator mounts the whole script ConfigMap (every key a file) at `/test` and runs
 * `/test/<file>` (pkg/types/script.go, Volume and VolumeMount), so the feed files the script
 * `open()`s as `./feed.<name>.json` are keys of the same ConfigMap, beside the script.
 *
 * Injection: `spec.arguments` is split on spaces by k6-operator (pkg/types/k6cli.go), so nothing
 * scenario-derived goes there; the target travels as the `TARGET` env value (read by the script
 * as `__ENV.TARGET`), and `${env.NAME}` secrets as env vars from a Secret, never their values.
 */
import { stringify } from 'yaml';
import { UsageError } from '../../results/errors.js';
import { hostOf, isLoopback } from '../safety.js';
import { envNames } from '../template.js';
import { configMap, envLiteral, k8sName, meta } from './k8s.js';

/** Where runners write their points inside the pod. */
export const RESULTS_DIR = '/results';

/** Options of the manifests. */
export interface OperatorOptions {
  name: string;
  parallelism: number;
  script: string;
  /** Target base URL; may hold `${env.NAME}` parts, taken from the Secret `<name>-env`. */
  target: string;
  /** A PersistentVolumeClaim (ReadWriteMany) for the results. */
  resultsPvc: string;
  /** Other `${env.NAME}` the script reads (headers, paths, bodies). */
  env?: readonly string[];
  /** Extra files beside the script in the ConfigMap (feeds). */
  files?: Record<string, string>;
  /** File name of the script inside the ConfigMap (default `test.ts`). */
  file?: string;
  namespace?: string;
}

const UNSPECIFIED = /^(0\.0\.0\.0|::|0:0:0:0:0:0:0:0)$/;
const ENV = /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The TARGET env value: literal parts escaped, `${env.X}` → `$(X)` (expanded by Kubernetes). */
function targetValue(target: string): string {
  let out = '';
  let last = 0;
  for (const m of target.matchAll(ENV)) {
    out += `${envLiteral(target.slice(last, m.index))}$(${m[1]})`;
    last = m.index + m[0].length;
  }
  return out + envLiteral(target.slice(last));
}

/** The ConfigMap and TestRun as one multi-document YAML text. */
export function operatorManifests(o: OperatorOptions): string {
  const name = k8sName(o.name);
  const file = o.file ?? 'test.ts';
  if (!Number.isInteger(o.parallelism) || o.parallelism < 1 || o.parallelism > 1000)
    throw new UsageError(`--parallelism must be an integer from 1 to 1000, got ${o.parallelism}`);
  const pvc = k8sName(o.resultsPvc, 253);
  if (pvc !== o.resultsPvc)
    throw new UsageError(`--results-pvc \`${o.resultsPvc}\` is not a Kubernetes name (try \`${pvc}\`)`);
  const secrets = [...new Set([...envNames(o.target), ...(o.env ?? [])])].sort();
  const secretName = `${name}-env`;
  const cm = configMap(`${name}-script`, { ...(o.files ?? {}), [file]: o.script }, o.namespace);
  // Fixed tokens only: k6-operator splits this string on spaces.
  const args = ['--out', `json=${RESULTS_DIR}/$(K6_RUNNER).ndjson.gz`, '--tag', `testid=${name}`];
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: meta(name, o.namespace),
    spec: {
      parallelism: o.parallelism,
      separate: false,
      script: { configMap: { name: cm.metadata.name, file } },
      arguments: args.join(' '),
      runner: {
        env: [
          { name: 'K6_NO_USAGE_REPORT', value: 'true' },
          {
            name: 'K6_RUNNER',
            valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } },
          },
          // Secrets first: Kubernetes expands $(X) only from variables defined earlier.
          ...secrets.map((s) => ({
            name: s,
            valueFrom: { secretKeyRef: { name: secretName, key: s } },
          })),
          { name: 'TARGET', value: targetValue(o.target) },
        ],
        volumes: [{ name: 'results', persistentVolumeClaim: { claimName: pvc } }],
        volumeMounts: [{ name: 'results', mountPath: RESULTS_DIR }],
      },
    },
  };
  const head = secrets.length
    ? `# Needs the Secret ${secretName} with keys ${secrets.join(', ')}:\n#   kubectl create secret generic ${secretName} ${secrets.map((s) => `--from-literal=${s}=…`).join(' ')}\n`
    : '';
  return `${head}${stringify(cm, { lineWidth: 0 })}---\n${stringify(testRun, { lineWidth: 0 })}`;
}

/**
 * Refuses a target the runner pods cannot reach: none given, or a loopback/unspecified host
 * (127.0.0.0/8, ::1, IPv4-mapped loopback, localhost, 0.0.0.0). A host made of `${env.X}` is
 * checked by the cluster, not here.
 */
export function assertPodReachable(target: string | undefined): string {
  const hint = 'pass --target http://<service>.<namespace>:<port> (a URL the cluster resolves)';
  if (!target) throw new UsageError(`--operator needs a target: pods cannot reach your loopback; ${hint}`);
  let url: URL;
  try {
    url = new URL(target.replace(ENV, 'env-placeholder'));
  } catch {
    throw new UsageError(`--target ${JSON.stringify(target)} is not a URL like http://gateway.shop:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--target ${JSON.stringify(target)} must be http:// or https://`);
  const host = hostOf(url).toLowerCase();
  // URL writes IPv4-mapped addresses in hex (`::ffff:7f00:1`); 7f = 127.
  const mapped = /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    isLoopback(host) ||
    mapped ||
    UNSPECIFIED.test(host)
  )
    throw new UsageError(
      `--operator target \`${url.host}\` is loopback: pods cannot reach your loopback; ${hint}`,
    );
  return target;
}
