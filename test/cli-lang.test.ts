import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCommand } from '../cli/commands/list.js';
import { schemaCommand } from '../cli/commands/schema.js';
import { validateCommand } from '../cli/commands/validate.js';
import { ScenarioError } from '../results/errors.js';
import { backline } from './cli.js';

const DESIGN = 'test/fixtures/scenarios/design-example.yaml';
const CYCLE = 'test/fixtures/scenarios/mistakes/cycle.yaml';

/** Runs a command in this process (spawning the CLI costs seconds here) and captures its stdout. */
async function capture(run: () => number | Promise<number>): Promise<{ code: number; stdout: string }> {
  const write = process.stdout.write;
  let stdout = '';
  process.stdout.write = ((chunk: string) => {
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await run(), stdout };
  } finally {
    process.stdout.write = write;
  }
}

describe('backline validate', () => {
  it('says ok with the counts, and exits 2 with file:line:col when the scenario is wrong (end to end)', () => {
    const ok = backline(['validate', DESIGN]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('ok: spotify-evening-peak (5 services, 2 journeys)\n');
    const bad = backline(['validate', CYCLE]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`${CYCLE}:17:38  call cycle: a.x → b.y → c.z → a.x\n`);
    expect(bad.stdout).toBe('');
  });

  it('prints capacity warnings with the numbers and still passes', async () => {
    const r = await capture(() => validateCommand('mmc', { set: ['services.server.workers=3'] }));
    expect(r).toEqual({
      code: 0,
      stdout: [
        'ok: mmc (1 service, 1 journey)',
        'warning: server: offered load ρ = 1.07 (3.2/s × 1 visit × 1000 ms ÷ (1 × 3 workers)) — queues will grow until rejected',
        '',
      ].join('\n'),
    });
  });

  it('throws the ScenarioError for the CLI to report (exit 2) without --json', async () => {
    await expect(validateCommand(CYCLE, { set: [] })).rejects.toBeInstanceOf(ScenarioError);
  });

  it('gives machines JSON for both outcomes', async () => {
    const ok = await capture(() => validateCommand('mmc', { set: [], json: true }));
    expect(ok.code).toBe(0);
    const good = JSON.parse(ok.stdout);
    expect([good.ok, good.name, good.services, good.journeys, good.warnings]).toEqual([
      true,
      'mmc',
      1,
      1,
      [],
    ]);
    expect(good.offeredLoad[0].rho).toBeCloseTo(0.8, 12);
    const dir = mkdtempSync(join(tmpdir(), 'backline-validate-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'name: bad\nduration: 10s\nusers:\n  arrivals: poisson(1/s)\n  journeys: { a: { steps: [sever] } }\nservices:\n  server: { time: exp(1ms) }\n',
    );
    const bad = await capture(() => validateCommand(file, { set: [], json: true }));
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toEqual({
      ok: false,
      issues: [
        { file, line: 5, col: 28, message: 'unknown service `sever` in step; did you mean `server`?' },
      ],
    });
  });
});

describe('backline schema', () => {
  it('prints a JSON Schema of the input format', async () => {
    const r = await capture(() => schemaCommand());
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.services.type).toBe('object');
    expect(schema.properties.duration.anyOf).toEqual([{ type: 'string' }, { type: 'number' }]);
    expect(schema.required).toEqual(['name', 'duration', 'users', 'services']);
  });
});

describe('backline list', () => {
  it('lists the catalog with each about line, as text and as JSON', async () => {
    const text = await capture(() => listCommand({}));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^mmc\s+M\/M\/4 queue at 80 % load/m);
    const json = await capture(() => listCommand({ json: true }));
    const entries = JSON.parse(json.stdout) as { name: string; about: string }[];
    expect(entries.find((e) => e.name === 'mmc')?.about).toBe(
      'M/M/4 queue at 80 % load (λ=3.2/s, μ=1/s); Erlang-C gives W = 1.745541 s.',
    );
  });
});
