/**
 * Structural checks for generated Kubernetes manifests, written from the documented schemas:
 * k6-operator `TestRun` k6.io/v1alpha1 (grafana/k6-operator api/v1alpha1/testrun_types.go:
 * TestRunSpec, K6Script, Pod), `batch/v1` Job (JobSpec: completions, parallelism, completionMode
 * NonIndexed|Indexed, backoffLimit, template) and `v1` ConfigMap, with core/v1 EnvVar, Volume,
 * VolumeMount and Container. `additionalProperties: false` everywhere we generate, so a misspelt
 * or misplaced field fails; required fields and enums as the API server enforces them.
 */
import { Ajv } from 'ajv';

const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const strMap = { type: 'object', additionalProperties: str };
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
/** RFC 1123 label (Job, TestRun names: pods and services derive `<name>-<i>` from them). */
const label = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 };
/** RFC 1123 subdomain (ConfigMap, PVC names). */
const subdomain = {
  type: 'string',
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  maxLength: 253,
};
const metadata = (name: object) =>
  closed({ name, namespace: label, labels: strMap, annotations: strMap }, ['name']);

const envVar = closed(
  {
    name: { type: 'string', pattern: '^[-._a-zA-Z][-._a-zA-Z0-9]*$' },
    value: str,
    valueFrom: {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: {
        fieldRef: closed({ apiVersion: str, fieldPath: str }, ['fieldPath']),
        secretKeyRef: closed({ name: subdomain, key: str, optional: bool }, ['key']),
        configMapKeyRef: closed({ name: subdomain, key: str, optional: bool }, ['key']),
      },
    },
  },
  ['name'],
);
const volume = {
  ...closed(
    {
      name: label,
      persistentVolumeClaim: closed({ claimName: subdomain, readOnly: bool }, ['claimName']),
      emptyDir: closed({ medium: str, sizeLimit: str }),
      configMap: closed({
        name: subdomain,
        defaultMode: int,
        optional: bool,
        items: { type: 'array', items: closed({ key: str, path: str, mode: int }, ['key', 'path']) },
      }),
    },
    ['name'],
  ),
  minProperties: 2,
  maxProperties: 2,
};
const volumeMount = closed(
  { name: label, mountPath: { type: 'string', pattern: '^/' }, readOnly: bool, subPath: str },
  ['name', 'mountPath'],
);
const resources = closed({ limits: strMap, requests: strMap });
const array = (items: object) => ({ type: 'array', items });

/** k6-operator Pod (runner/starter/initializer), the fields we may generate. */
const pod = closed({
  env: array(envVar),
  image: str,
  resources,
  volumes: array(volume),
  volumeMounts: array(volumeMount),
  metadata: closed({ labels: strMap, annotations: strMap }),
  serviceAccountName: str,
});

/** k6.io/v1alpha1 TestRun. */
export const TESTRUN_SCHEMA = closed(
  {
    apiVersion: { const: 'k6.io/v1alpha1' },
    kind: { const: 'TestRun' },
    metadata: metadata(label),
    spec: closed(
      {
        script: {
          ...closed({
            configMap: closed({ name: subdomain, file: { type: 'string', pattern: '^[^/]+$' } }, ['name']),
            volumeClaim: closed({ name: subdomain, file: str, readOnly: bool }, ['name']),
            localFile: str,
          }),
          minProperties: 1,
          maxProperties: 1,
        },
        parallelism: { type: 'integer', minimum: 1 },
        separate: bool,
        // k6-operator splits this on single spaces; every token must be a flag or its value.
        arguments: { type: 'string', pattern: '^(-[^ ]*)( [^ ]+)*$' },
        runner: pod,
        starter: pod,
        initializer: pod,
        quiet: { enum: ['true', 'false'] },
        paused: { enum: ['true', 'false'] },
        cleanup: { enum: ['post'] },
      },
      ['script', 'parallelism'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const container = closed(
  {
    name: label,
    image: str,
    command: array(str),
    args: array(str),
    workingDir: str,
    env: array(envVar),
    resources,
    volumeMounts: array(volumeMount),
  },
  ['name', 'image'],
);

/** batch/v1 Job. */
export const JOB_SCHEMA = closed(
  {
    apiVersion: { const: 'batch/v1' },
    kind: { const: 'Job' },
    metadata: metadata(label),
    spec: closed(
      {
        completions: { type: 'integer', minimum: 1 },
        parallelism: { type: 'integer', minimum: 0 },
        completionMode: { enum: ['NonIndexed', 'Indexed'] },
        backoffLimit: { type: 'integer', minimum: 0 },
        backoffLimitPerIndex: { type: 'integer', minimum: 0 },
        activeDeadlineSeconds: { type: 'integer', minimum: 1 },
        ttlSecondsAfterFinished: { type: 'integer', minimum: 0 },
        template: closed(
          {
            metadata: closed({ labels: strMap, annotations: strMap }),
            spec: closed(
              {
                restartPolicy: { enum: ['Never', 'OnFailure'] },
                containers: { ...array(container), minItems: 1 },
                volumes: array(volume),
              },
              ['containers', 'restartPolicy'],
            ),
          },
          ['spec'],
        ),
      },
      ['template'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

/** v1 ConfigMap. */
export const CONFIGMAP_SCHEMA = closed(
  {
    apiVersion: { const: 'v1' },
    kind: { const: 'ConfigMap' },
    metadata: metadata(subdomain),
    data: { type: 'object', propertyNames: { pattern: '^[-._a-zA-Z0-9]+$' }, additionalProperties: str },
  },
  ['apiVersion', 'kind', 'metadata'],
);

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = {
  TestRun: ajv.compile(TESTRUN_SCHEMA),
  Job: ajv.compile(JOB_SCHEMA),
  ConfigMap: ajv.compile(CONFIGMAP_SCHEMA),
};

/** Validation errors of one manifest (by its `kind`), as `path message` lines; [] when valid. */
export function manifestErrors(doc: { kind?: string }): string[] {
  const v = validators[doc.kind as keyof typeof validators];
  if (!v) return [`unknown kind ${String(doc.kind)}`];
  if (v(doc)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
