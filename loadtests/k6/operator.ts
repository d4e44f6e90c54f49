/**
 * Distributed k6 on Kubernetes: a k6-operator `TestRun` (apiVersion k6.io/v1alpha1) that runs the
 * generated script on `parallelism` runners, plus the ConfigMap holding the script. Each runner
 * writes NDJSON points (`--out json`), which `backline merge` combines into one RunResult and
 * checks the budgets across all runners (k6-operator does not aggregate thresholds, #115).
 */
import { stringify } from 'yaml';

/** Options of the manifests. */
export interface OperatorOptions {
  name: string;
  parallelism: number;
  script: string;
  /** File name of the script inside the ConfigMap (default `test.ts`). */
  file?: string;
  namespace?: string;
  /** Target base URL passed as `-e TARGET=`. */
  target?: string;
}

/** A Kubernetes-safe name: lowercase letters, digits and `-`. */
export function k8sName(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'backline'
  );
}

/** The ConfigMap and TestRun as one multi-document YAML text. */
export function operatorManifests(o: OperatorOptions): string {
  const name = k8sName(o.name);
  const file = o.file ?? 'test.ts';
  const meta = (n: string) => ({ name: n, ...(o.namespace ? { namespace: o.namespace } : {}) });
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(`${name}-script`),
    data: { [file]: o.script },
  };
  const args = ['--out', 'json=/tmp/points.ndjson', '--tag', `testid=${name}`];
  if (o.target) args.push('-e', `TARGET=${o.target}`);
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: meta(name),
    spec: {
      parallelism: o.parallelism,
      separate: false,
      script: { configMap: { name: `${name}-script`, file } },
      arguments: args.join(' '),
      runner: { env: [{ name: 'K6_NO_USAGE_REPORT', value: 'true' }] },
    },
  };
  return `${stringify(configMap, { lineWidth: 0 })}---\n${stringify(testRun, { lineWidth: 0 })}`;
}
