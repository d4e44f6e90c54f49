import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { assertPodReachable, operatorManifests } from '../../loadtests/k6/operator.js';
import { backline } from '../cli.js';
import { manifestErrors } from './k8s-schemas.js';

const base = { name: 'Spotify Evening-Peak!', parallelism: 4, script: 'export default function () {}\n' };
const docsOf = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS());

describe('k6-operator TestRun', () => {
  it('passes the TestRun (v1alpha1) and ConfigMap structural checks, with a results volume', () => {
    const yaml = operatorManifests({ ...base, target: 'http://gateway.shop:8080', resultsPvc: 'k6-results' });
    const [cm, tr] = docsOf(yaml);
    expect(manifestErrors(cm)).toEqual([]);
    expect(manifestErrors(tr)).toEqual([]);
    expect(cm.metadata.name).toBe('spotify-evening-peak-script');
    expect(cm.data['test.ts']).toBe(base.script);
    expect(tr.spec.script).toEqual({ configMap: { name: 'spotify-evening-peak-script', file: 'test.ts' } });
    expect(tr.spec.parallelism).toBe(4);
    // Each runner writes its own gzipped NDJSON, named by its Job (`<testrun>-<index>`).
    expect(tr.spec.arguments).toBe(
      '--out json=/results/$(K6_RUNNER).ndjson.gz --tag testid=spotify-evening-peak',
    );
    expect(tr.spec.runner.env).toContainEqual({
      name: 'K6_RUNNER',
      valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } },
    });
    expect(tr.spec.runner.env).toContainEqual({ name: 'TARGET', value: 'http://gateway.shop:8080' });
    expect(tr.spec.runner.volumes).toEqual([
      { name: 'results', persistentVolumeClaim: { claimName: 'k6-results' } },
    ]);
    expect(tr.spec.runner.volumeMounts).toEqual([{ name: 'results', mountPath: '/results' }]);
  });

  it('a hostile target cannot add flags or YAML: it travels as one env value', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile literal
    const target = 'http://gw:8080/a b --out cloud\n- name: X\r\n  value: "$(HOME)" # \'q\' `t` ${x}';
    const [cm, tr] = docsOf(operatorManifests({ ...base, target, resultsPvc: 'r' }));
    expect(manifestErrors(cm)).toEqual([]);
    expect(manifestErrors(tr)).toEqual([]);
    expect(tr.spec.arguments.split(' ')).toEqual([
      '--out',
      'json=/results/$(K6_RUNNER).ndjson.gz',
      '--tag',
      'testid=spotify-evening-peak',
    ]);
    const envs = tr.spec.runner.env.map((e: { name: string }) => e.name);
    expect(envs).toEqual(['K6_NO_USAGE_REPORT', 'K6_RUNNER', 'TARGET']);
    // `$(` is escaped as `$$(` so Kubernetes does not expand it; everything else is verbatim.
    expect(tr.spec.runner.env[2].value).toBe(target.replace('$(HOME)', () => '$$(HOME)'));
  });

  it('env.X secrets come from a Secret by reference, defined before TARGET uses them', () => {
    const yaml = operatorManifests({
      ...base,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the scenario's secret syntax
      target: 'https://${env.GW_USER}:${env.GW_PASS}@gw.shop',
      env: ['API_TOKEN'],
      resultsPvc: 'r',
    });
    const [cm, tr] = docsOf(yaml);
    expect(manifestErrors(tr)).toEqual([]);
    expect(manifestErrors(cm)).toEqual([]);
    expect(tr.spec.runner.env.slice(2)).toEqual([
      {
        name: 'API_TOKEN',
        valueFrom: { secretKeyRef: { name: 'spotify-evening-peak-env', key: 'API_TOKEN' } },
      },
      { name: 'GW_PASS', valueFrom: { secretKeyRef: { name: 'spotify-evening-peak-env', key: 'GW_PASS' } } },
      { name: 'GW_USER', valueFrom: { secretKeyRef: { name: 'spotify-evening-peak-env', key: 'GW_USER' } } },
      { name: 'TARGET', value: 'https://$(GW_USER):$(GW_PASS)@gw.shop' },
    ]);
    expect(yaml).toMatch(
      /^# Needs the Secret spotify-evening-peak-env with keys API_TOKEN, GW_PASS, GW_USER/,
    );
  });

  it('the structural checks catch what the API server would refuse', () => {
    const [cm, tr] = docsOf(operatorManifests({ ...base, target: 'http://gw', resultsPvc: 'r' }));
    expect(manifestErrors({ ...tr, spec: { ...tr.spec, parallelism: 0 } })).not.toEqual([]);
    expect(manifestErrors({ ...tr, spec: { ...tr.spec, arguments: 'a --out' } })).not.toEqual([]);
    expect(manifestErrors({ ...tr, spec: { ...tr.spec, scrpt: {} } })).not.toEqual([]);
    expect(manifestErrors({ ...cm, data: { 'a/b': 'x' } })).not.toEqual([]);
  });

  it('refuses a loopback or missing target: pods cannot reach your loopback', () => {
    for (const t of [
      undefined,
      'http://127.0.0.1:8080',
      'http://127.9.9.9',
      'http://localhost:80',
      'http://api.localhost',
      'http://[::1]:80',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0:80',
    ])
      expect(() => assertPodReachable(t), String(t)).toThrow(/pods cannot reach your loopback/);
    expect(assertPodReachable('http://gateway.shop.svc:8080')).toBe('http://gateway.shop.svc:8080');
    expect(() => assertPodReachable('ftp://gw')).toThrow(/http/);
    expect(() => operatorManifests({ ...base, target: 'http://gw', resultsPvc: 'Bad Name' })).toThrow(
      /results-pvc/,
    );
    expect(() =>
      operatorManifests({ ...base, target: 'http://gw', resultsPvc: 'r', files: { '../x': 'y' } }),
    ).toThrow(/ConfigMap key/);
    expect(() =>
      operatorManifests({
        ...base,
        target: 'http://gw',
        resultsPvc: 'r',
        files: { big: 'x'.repeat(1 << 20) },
      }),
    ).toThrow(/1048576/);
  });

  it('the CLI exits 2 for a loopback target and writes valid manifests for a cluster one', () => {
    const scenario = 'test/load/fixtures/load-cli.yaml';
    const loop = backline(['k6', scenario, '--operator', '--results-pvc', 'r']);
    expect(loop.code).toBe(2);
    expect(loop.stderr).toMatch(/pods cannot reach your loopback/);
    const noPvc = backline(['k6', scenario, '--operator', '--target', 'http://gw.shop']);
    expect(noPvc.code).toBe(2);
    expect(noPvc.stderr).toMatch(/--results-pvc/);
    const ok = backline([
      'k6',
      scenario,
      '--operator',
      '--target',
      'http://gw.shop',
      '--results-pvc',
      'r',
      '--parallelism',
      '3',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const docs = docsOf(ok.stdout);
    expect(docs.map((d) => manifestErrors(d))).toEqual([[], []]);
    expect(docs[1].spec.parallelism).toBe(3);
  });
});
