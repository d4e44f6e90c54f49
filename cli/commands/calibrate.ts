/**
 * `backline calibrate <scenario> --from <traces.json> [--out <file>] [--sets] [--json]`: fits each
 * service's service time to measured traces (Zipkin v2 or Jaeger JSON, e.g. from `backline sim
 * --traces`) and writes the scenario with those times (`--out`, comments kept), or prints them as
 * `--set` arguments (`--sets`). A goodness-of-fit line per service either way. Exit 0 when at least
 * one service was calibrated, 2 for unreadable or unusable input.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { type Calibration, calibrate } from '../../results/calibrate/calibrate.js';
import { readTraces } from '../../results/calibrate/read-traces.js';
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
  const result = calibrate(readTraces(opts.from), opts.from, Object.keys(scenario.services));
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
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ...result, sets }, null, 2)}\n`);
    return EXIT.pass;
  }
  if (opts.sets) {
    process.stdout.write(`${sets.map((s) => `--set '${s}'`).join(' \\\n')}\n`);
    process.stderr.write(summary(result, opts.out));
    return EXIT.pass;
  }
  process.stdout.write(summary(result, opts.out));
  return EXIT.pass;
}

/** The goodness-of-fit table and what was skipped. */
function summary(c: Calibration, out: string | undefined): string {
  const lines = [`${c.spans} spans (${c.format})`];
  lines.push('service            n   fit        median      p99   KS      fan-out');
  for (const s of c.services) {
    const f = s.fit;
    const fan = s.fanout
      .flatMap((o) => Object.entries(o.calls).map(([callee, k]) => `${o.operation}→${callee} ×${k}`))
      .join(', ');
    lines.push(
      `${s.service.padEnd(14)} ${String(f.n).padStart(6)}   ${f.kind.padEnd(9)} ${msText(f.median).padStart(8)} ${msText(f.p99).padStart(8)}   ${f.ks.toFixed(3)}   ${fan}`,
    );
  }
  for (const s of c.skipped) lines.push(`skipped ${s.service}: ${s.reason}`);
  if (out) lines.push(`calibrated scenario → ${out}`);
  return `${lines.join('\n')}\n`;
}

function msText(s: number): string {
  return `${(s * 1e3).toPrecision(3)}ms`;
}

/** Registers `calibrate`. */
export function register(program: Command): void {
  program
    .command('calibrate')
    .description(
      'fit service times to measured traces (Zipkin v2 or Jaeger JSON) and write a calibrated scenario',
    )
    .argument('<scenario>', 'scenario file or catalog name')
    .requiredOption('--from <file>', 'traces: Zipkin v2 JSON (e.g. from `sim --traces`) or Jaeger JSON')
    .option('--out <file>', 'write the scenario with the fitted times here (comments kept)')
    .option('--sets', 'print the fitted times as --set arguments')
    .option('--json', 'print the calibration as JSON on stdout')
    .action(async (scenario: string, opts: CalibrateCommandOptions) => {
      process.exitCode = await calibrateCommand(scenario, opts);
    });
}
