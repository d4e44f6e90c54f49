/**
 * Where `load` sends its requests and whether it may: a `--profile`d target is started under
 * clinic only after its given address passed the allow-list, and every target resolves its
 * `${env.…}` references into secrets that the output masks.
 */
import { join } from 'node:path';
import type { ClinicTool, ProfiledTarget } from '../../loadtests/profile/clinic.js';
import { checkTarget } from '../../loadtests/safety.js';
import { resolveEnv, Secrets } from '../../loadtests/template.js';
import { UsageError } from '../../results/errors.js';
import type { Scenario } from '../../scenarios/load.js';

/** Starts the `--profile` target command under clinic once its address may be loaded. */
export async function startProfiledTarget(
  scenario: Pick<Scenario, 'load'>,
  opts: { target?: string; out?: string },
  tool: ClinicTool,
  command: string[],
  log: NodeJS.WritableStream | undefined,
): Promise<ProfiledTarget> {
  const { startProfiled } = await import('../../loadtests/profile/clinic.js');
  const dest = join(opts.out ?? join('.backline', 'clinic'), opts.out ? 'clinic' : '');
  // The scenario's target names a deployment; the profiled server is the one started here.
  const given = opts.target === undefined ? undefined : resolveEnv(opts.target, new Secrets());
  // The allow-list holds before anything starts: a profiled target is loaded like any other.
  if (given) await checkTarget(given, scenario.load?.allow ?? []);
  return startProfiled({ tool, command, dest, target: given, log });
}

/** The target with its secrets resolved (`secrets` masks them again); none at all is a usage error. */
export function resolveLoadTarget(raw: string | undefined): { target: string; secrets: Secrets } {
  const secrets = new Secrets();
  const target = raw === undefined ? undefined : resolveEnv(raw, secrets);
  if (!target)
    throw new UsageError('no load target: set `load.target` in the scenario, pass --target, or use --twin');
  return { target, secrets };
}
