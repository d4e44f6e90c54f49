import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../loadtests/plan.js';
import { parseScenario } from '../../scenarios/load.js';
import { ROOT } from '../cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-faker-lazy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const scenario = (request: string) => `name: lazy
duration: 1s
users: { arrivals: poisson(1/s), journeys: { play: { steps: [svc] } } }
services: { svc: { time: exp(1ms) } }
load:
  target: http://127.0.0.1:1
  requests:
    play: ${request}
`;

// Sees `import` of faker through a resolve hook and `require` of it through the CommonJS loader's
// debug log (NODE_DEBUG=module), so either way of loading it is counted.
writeFileSync(
  join(tmp, 'hooks.mjs'),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the hook's own source, a template literal
  "export async function resolve(s, c, next) { if (s.includes('@faker-js')) process.stderr.write(`faker ${s}\\n`); return next(s, c); }\n",
);
writeFileSync(
  join(tmp, 'register.mjs'),
  "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
);
writeFileSync(
  join(tmp, 'probe.mjs'),
  `const { buildPlan } = await import(${JSON.stringify(`${ROOT}dist/loadtests/plan.js`)});
const { loadScenario } = await import(${JSON.stringify(`${ROOT}dist/scenarios/load.js`)});
const plan = buildPlan(loadScenario(process.argv[2]));
process.stdout.write(plan.next().path);
`,
);

/** Builds the plan of `request` in a fresh process; returns the path it sends and whether faker was loaded. */
function probe(name: string, request: string): { path: string; faker: boolean } {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, scenario(request));
  const r = spawnSync(
    process.execPath,
    ['--import', join(tmp, 'register.mjs'), join(tmp, 'probe.mjs'), file],
    {
      encoding: 'utf8',
      env: { ...process.env, NODE_DEBUG: 'module' },
    },
  );
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  return { path: r.stdout, faker: /@faker-js/.test(r.stderr) };
}

describe('faker is loaded only by a run whose templates call it', () => {
  it('a plan without faker. templates never loads faker; one with them does, in the same process', () => {
    expect(probe('plain', 'GET /v1/x?u={{user.id}}')).toMatchObject({ faker: false });
    const withFaker = probe('faker', 'GET /v1/x?q={{faker.music.songName}}');
    expect(withFaker.faker).toBe(true);
    expect(withFaker.path).toMatch(/^\/v1\/x\?q=[^{}]+$/);
  });

  it('the same seed gives the same fake values; two plans in one process do not share a faker', () => {
    const s = parseScenario(scenario('GET /v1/x?q={{faker.person.fullName}}'), 'lazy.yaml');
    const a = buildPlan(s, { seed: 7 });
    const b = buildPlan(s, { seed: 7 });
    const first = [a.next().path, a.next().path];
    // b starts from its own seed although a has drawn already.
    expect([b.next().path, b.next().path]).toEqual(first);
    const c = buildPlan(s, { seed: 8 });
    expect(c.next().path).not.toBe(first[0]);
  });
});
