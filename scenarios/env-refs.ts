/**
 * The `${env.NAME}` references of the load section (target, flows, session), checked before
 * anything starts. A reference that is no `${env.NAME}` (`${env.}`, a name with a space, quote or
 * line break) is refused by validation, since it would be sent as literal text; given the
 * environment (the `load` command), every variable the run will read must be set, so a missing
 * secret is `file:line:col` and exit 2 rather than a failure after the twin or the target started.
 */
import type { PathIssue } from './issues.js';
import { isRecord } from './raw-values.js';
import { placeholders, strayEnvPlaceholder } from './template-syntax.js';

/** The environment a run will read its `${env.NAME}` secrets from. */
export interface EnvRequirement {
  vars: Readonly<Record<string, string | undefined>>;
  /** The scenario's `load.target` is not used (`--twin`, `--target`): its variables are not needed. */
  skipTarget?: boolean;
}

/** Printable ASCII as written, anything else (a line break, a control character) as a JSON string. */
const quoteText = (t: string) => (/^[\x20-\x7e]*$/.test(t) ? `\`${t}\`` : JSON.stringify(t));

/**
 * Problems of the `${env…}` references in `rawLoad` (the `load` mapping as written): malformed
 * ones always, unset variables when `need` is given. A variable is set only as an own member of
 * `need.vars` holding a string, so `${env.__proto__}` or `${env.constructor}` is never "set".
 */
export function envIssues(rawLoad: unknown, need?: EnvRequirement): PathIssue[] {
  const issues: PathIssue[] = [];
  const walk = (v: unknown, path: (string | number)[], vars: EnvRequirement['vars'] | undefined) => {
    if (typeof v === 'string') {
      const stray = strayEnvPlaceholder(v);
      if (stray !== undefined)
        issues.push({
          path,
          message: `${quoteText(stray)} is not an environment reference: write \${env.NAME} (letters, digits and _, not starting with a digit)`,
        });
      if (vars)
        for (const { ref } of placeholders(v))
          if (ref.kind === 'env' && !(Object.hasOwn(vars, ref.name) && typeof vars[ref.name] === 'string'))
            issues.push({
              path,
              message: `environment variable ${ref.name} is not set (used as \${env.${ref.name}}); set it before the run`,
            });
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, [...path, i], vars);
    } else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k], vars);
  };
  if (!isRecord(rawLoad)) return issues;
  walk(rawLoad.target, ['load', 'target'], need?.skipTarget ? undefined : need?.vars);
  walk(rawLoad.session, ['load', 'session'], need?.vars);
  walk(rawLoad.requests, ['load', 'requests'], need?.vars);
  return issues;
}
