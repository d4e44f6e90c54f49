/**
 * Every `${env.NAME}` a load will read is checked before anything starts: an unset variable in a
 * header or the target is `file:line:col`, exit 2, with no twin, no target and no generator left
 * behind (it used to be found by the generator after the twin was serving). A reference that is no
 * `${env.NAME}` is refused by validation, and names like `__proto__` never read Object's members.
 */
/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env.NAME}` is the scenario's secret syntax */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Secrets } from '../../loadtests/template.js';
import { ScenarioError } from '../../results/errors.js';
import { loadScenario } from '../../scenarios/load.js';
import { backline } from '../cli.js';
import { newMark, processesMarked } from '../leftovers.js';

const dir = mkdtempSync(join(tmpdir(), 'backline-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UNSET = 'BACKLINE_TEST_ENV_NEVER_SET';

/** A scenario whose request header (and, with `target`, load target) holds `header`. */
function scenario(name: string, header: string, target = 'http://127.0.0.1:9'): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
duration: 2s
users:
  arrivals: poisson(10/s)
  journeys:
    go: { steps: [api.go] }
services:
  api: { time: 1ms }
load:
  target: ${JSON.stringify(target)}
  profile: [{ hold: 5/s, for: 1s }]
  requests:
    go:
      - get: { url: /v1/go, headers: { authorization: ${JSON.stringify(header)} } }
`,
  );
  return file;
}

/** 1-based line and column of the first `needle` in `file`. */
function at(file: string, needle: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return `${file}:${line + 1}:${lines[line].indexOf(needle) + 1}`;
}

/** `file:line:col` of the header value (the scalar after `authorization: `). */
function headerAt(file: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('authorization: '));
  return `${file}:${line + 1}:${lines[line].indexOf('authorization: ') + 'authorization: '.length + 1}`;
}

const issuesOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues.map((i) => `${i.file}:${i.line}:${i.col}  ${i.message}`);
    throw e;
  }
  return [];
};

describe('${env.NAME} checked before anything starts', () => {
  it('load --twin with an unset header variable: file:line:col, exit 2, no twin, nothing left running', () => {
    const file = scenario('header', `Bearer \${env.${UNSET}}`);
    const mark = newMark();
    const run = backline(['load', file, '--twin', '--no-dashboard'], { [mark]: '1' });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toBe(
      `${headerAt(file)}  environment variable ${UNSET} is not set (used as \${env.${UNSET}}); set it before the run\n`,
    );
    expect(run.stderr).not.toContain('twin serving');
    expect(run.stdout).toBe('');
    const left = processesMarked(mark);
    if (left) expect(left).toEqual([]);
    else console.log('skipped the leftover-process check: no /proc on this system');
  });

  it('an unset target variable is exit 2 at the target; --twin does not need it', () => {
    const file = scenario('target', 'x', `http://\${env.${UNSET}}:8080`);
    const run = backline(['load', file, '--no-dashboard']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toBe(
      `${at(file, '"http://')}  environment variable ${UNSET} is not set (used as \${env.${UNSET}}); set it before the run\n`,
    );
    // With --twin (or --target) the scenario's target is not used, so its variable is not needed.
    expect(issuesOf(() => loadScenario(file, [], { env: { vars: {}, skipTarget: true } }))).toEqual([]);
    const given = backline(['load', scenario('given', 'x'), '--target', `http://\${env.${UNSET}}`]);
    expect(given.code, given.stderr).toBe(2);
    expect(given.stderr).toContain(`environment variable ${UNSET} is not set`);
  });

  it('validation needs no environment; a set variable passes; a --set override is named as such', () => {
    const file = scenario('ok', '${env.TOKEN}');
    expect(issuesOf(() => loadScenario(file))).toEqual([]);
    expect(issuesOf(() => loadScenario(file, [], { env: { vars: { TOKEN: 's3cret' } } }))).toEqual([]);
    // Set but empty is set.
    expect(issuesOf(() => loadScenario(file, [], { env: { vars: { TOKEN: '' } } }))).toEqual([]);
    expect(
      issuesOf(() =>
        loadScenario(file, [`load.target=http://\${env.${UNSET}}`], { env: { vars: { TOKEN: 's' } } }),
      ),
    ).toEqual([
      `--set load.target=http://\${env.${UNSET}}:0:0  environment variable ${UNSET} is not set (used as \${env.${UNSET}}); set it before the run`,
    ]);
  });

  it('names like __proto__ and constructor are never "set" from Object.prototype', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const file = scenario(`proto-${name}`, `\${env.${name}}`);
      expect(issuesOf(() => loadScenario(file, [], { env: { vars: process.env } }))).toEqual([
        `${headerAt(file)}  environment variable ${name} is not set (used as \${env.${name}}); set it before the run`,
      ]);
      // The generator's own reader refuses it too (it used to send "[object Object]").
      expect(() => new Secrets().get(name)).toThrow(`environment variable ${name} is not set`);
    }
  });

  it('refuses at validation a ${env…} that is no ${env.NAME}: empty, CR/LF, quotes, a space, a digit', () => {
    const cases: [string, string][] = [
      ['${env.}', '`${env.}`'],
      ['${env.A"B}', '`${env.A"B}`'],
      ["${env.A'B}", "`${env.A'B}`"],
      ['${env.A B}', '`${env.A B}`'],
      ['${env.1A}', '`${env.1A}`'],
      ['Bearer ${env.TOKEN', '`${env.TOKEN`'],
    ];
    for (const [i, [header, shown]] of cases.entries()) {
      const file = scenario(`stray${i}`, header);
      const run = backline(['validate', file]);
      expect(run.code, header).toBe(2);
      expect(run.stderr, header).toBe(
        `${headerAt(file)}  ${shown} is not an environment reference: write \${env.NAME} (letters, digits and _, not starting with a digit)\n`,
      );
    }
    // CR/LF: the header check refuses it first, at the same place.
    const file = scenario('crlf', '${env.A\r\nB}');
    const run = backline(['validate', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${headerAt(file)}  header value "\${env.A\\r\\nB}" contains CR, LF or NUL\n`);
  });
});
