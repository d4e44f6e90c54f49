/**
 * `backline calibrate <scenario> --from <traces.json|load.json> [--out <file>] [--sets] [--json]`: fits
 * each service's service time to measured traces (Zipkin v2 or Jaeger JSON, e.g. from `backline sim
 * --traces`) or to a load RunResult's journeys (`from-load.ts`) and writes the scenario with those times (`--out`, comments kept), or prints them as
 * `--set` arguments (`--sets`). A goodness-of-fit line per service either way. Exit 0 when at least
 * one service was calibrated, 2 for unreadable or unusable input.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { type Calibration, calibrate } from '../../results/calibrate/calibrate.js';
import { calibrateFromLoad, type LoadCalibration } from '../../results/calibrate/from-load.js';
import { readMeasurements } from '../../results/calibrate/read-traces.js';
import { runMeasurements } from '../../results/calibrate/run-measurements.js';
import { loadScenario, parseScenario, resolveScenario } from '../../scenarios/load.js';
import { applyOverride, parseOverride } from '../../scenarios/overrides.js';
import { EXIT } from '../exit.js';
import { writeAtomic } from '../write-reports.js';

/** Options of `calibrate`. */
export interface CalibrateCommandOptions {
  from: string;
  out?: string;
  sets?: boolean;
  json?: boolean;
}

/** Runs `calibrate` and returns the exit code. */
export async function calibrateCommand(arg: string, opts: CalibrateCommandOptions): Promise<number> {
  const scenario = loadScenario(arg);
  const measured = readMeasurements(opts.from);
  const result =
    measured.kind === 'run'
      ? calibrateFromLoad(
          scenario,
          runMeasurements(measured.run, opts.from, Object.keys(scenario.users.journeys)),
        )
      : calibrate(measured, opts.from, Object.keys(scenario.services));
  const sets = result.services.map((s) => `services.${s.service}.time=${s.time}`);
  if (opts.out) {
    const path = resolveScenario(arg);
    const doc = parseDocument(readFileSync(path, 'utf8'));
    for (const s of sets) applyOverride(doc, parseOverride(s));
    const text = doc.toString({ lineWidth: 0 });
    // The calibrated file must load: a fit the schema refuses is a bug here, not the user's.
    parseScenario(text, opts.out);
    writeAtomic(opts.out, text);
  }
  const text = result.format === 'load' ? loadSummary(result, opts.out) : summary(result, opts.out);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ...result, sets }, null, 2)}\n`);
    return EXIT.pass;
  }
  if (opts.sets) {
    process.stdout.write(`${sets.map((s) => `--set '${s}'`).join(' \\\n')}\n`);
    process.stderr.write(text);
    return EXIT.pass;
  }
  process.stdout.write(text);
  return EXIT.pass;
}

const HEADER = 'service            n   fit        median      p99   KS      ';

/** The goodness-of-fit table and what was skipped. */
function summary(c: Calibration, out: string | undefined): string {
  const lines = [`${c.spans} spans (${c.format})`, `${HEADER}fan-out`];
  for (const s of c.services) {
    const fan = s.fanout
      .flatMap((o) => Object.entries(o.calls).map(([callee, k]) => `${o.operation}→${callee} ×${k}`))
      .join(', ');
    lines.push(fitLine(s.service, s.fit.n, s.fit.kind, s.fit, s.fit.ks, fan));
  }
  for (const s of c.skipped) lines.push(`skipped ${s.service}: ${s.reason}`);
  if (out) lines.push(`calibrated scenario → ${out}`);
  return `${lines.join('\n')}\n`;
}

/** Per service how it was calibrated and from what, per journey measured against predicted. */
function loadSummary(c: LoadCalibration, out: string | undefined): string {
  const lines = [`${c.requests} requests (load RunResult)`, `${HEADER}calibrated from`];
  for (const s of c.services) {
    const how =
      s.method === 'direct'
        ? `journey ${s.from[0]} (this service alone)`
        : `×${s.factor?.toPrecision(4)} on the scenario's time, to journeys ${s.from.join(', ')}${
            s.together ? `; one factor for ${s.together.join(', ')} (not separable)` : ''
          }`;
    lines.push(fitLine(s.service, s.n, s.fit, s, s.ks, how));
  }
  for (const s of c.skipped) lines.push(`not calibrated ${s.service}: ${s.reason}`);
  lines.push('journey          measured p50/p99      calibrated p50/p99   KS');
  for (const j of c.journeys)
    lines.push(
      `${j.journey.padEnd(14)} ${msText(j.measured.p50).padStart(8)} ${msText(j.measured.p99).padStart(8)}    ${msText(j.predicted.p50).padStart(8)} ${msText(j.predicted.p99).padStart(8)}   ${j.ks.toFixed(3)}`,
    );
  for (const j of c.journeysSkipped) lines.push(`journey ${j.journey} not used: ${j.reason}`);
  if (out) lines.push(`calibrated scenario → ${out}`);
  return `${lines.join('\n')}\n`;
}

function fitLine(
  service: string,
  n: number,
  kind: string,
  q: { median: number; p99: number },
  ks: number,
  tail: string,
): string {
  return `${service.padEnd(14)} ${String(n).padStart(6)}   ${kind.padEnd(9)} ${msText(q.median).padStart(8)} ${msText(q.p99).padStart(8)}   ${ks.toFixed(3)}   ${tail}`;
}

function msText(s: number): string {
  return `${(s * 1e3).toPrecision(3)}ms`;
}

/** Registers `calibrate`. */
export function register(program: Command): void {
  program
    .command('calibrate')
    .description(
      'fit service times to measured traces (Zipkin v2 or Jaeger JSON) or a load RunResult and write a calibrated scenario',
    )
    .argument('<scenario>', 'scenario file or catalog name')
    .requiredOption(
      '--from <file>',
      'traces (Zipkin v2 JSON, e.g. from `sim --traces`, or Jaeger JSON) or a load RunResult (`load --out`)',
    )
    .option('--out <file>', 'write the scenario with the fitted times here (comments kept)')
    .option('--sets', 'print the fitted times as --set arguments')
    .option('--json', 'print the calibration as JSON on stdout')
    .action(async (scenario: string, opts: CalibrateCommandOptions) => {
      process.exitCode = await calibrateCommand(scenario, opts);
    });
}
