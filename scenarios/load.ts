/**
 * The scenario loader: YAML text (plus `--set` overrides) → a validated {@link Scenario}, or one
 * {@link ScenarioError} listing every problem as `file:line:col  message`. It never throws anything
 * else: unexpected failures are wrapped, so callers can rely on a single error type.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { type Document, LineCounter, parseDocument, visit } from 'yaml';
import { ScenarioError, type ScenarioIssue } from '../results/errors.js';
import { isPath, resolveScenario } from './catalog.js';
import { type EnvRequirement, envIssues } from './env-refs.js';
import { checkInputFile, MAX_SCENARIO_BYTES } from './input-file.js';
import { describeIssue, type PathIssue } from './issues.js';
import { resolveLoadRefs } from './load-refs.js';
import { applyOverride, covers, type Override, parseOverride } from './overrides.js';
import { locate, startOf } from './positions.js';
import { replayProblem } from './replay-file.js';
import { reservedKeyIssues } from './reserved-keys.js';
import { type Scenario, ScenarioSchema } from './schema.js';
import { ValueError } from './value-error.js';
import { quoteCalls } from './yaml-calls.js';

export { catalogDir, listCatalog, resolveScenario } from './catalog.js';
export type { EnvRequirement } from './env-refs.js';
export { scenarioHash } from './hash.js';
export type { Scenario } from './schema.js';

/** What a caller may ask of the loader beyond validation. */
export interface LoaderOptions {
  /** Every `${env.NAME}` the load will read must be set in this environment (the `load` command). */
  env?: EnvRequirement;
}

const overrideLabel = (raw: string) => `--set ${raw}`;

/** First line of a message, without yaml's own " at line X, column Y" (we print positions). */
function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function byPosition(a: ScenarioIssue, b: ScenarioIssue): number {
  // Command-line problems first (they often explain the rest), then in reading order.
  const ka = a.line === 0 ? -1 : 0;
  const kb = b.line === 0 ? -1 : 0;
  return ka - kb || a.line - b.line || a.col - b.col;
}

/** Places one path issue: at the `--set` that wrote it, else at its node in the file. */
function place(
  doc: Document,
  p: PathIssue,
  file: string,
  overrides: Override[],
  position: (offset: number) => { line: number; col: number },
): ScenarioIssue {
  const o = overrides.findLast((ov) => covers(ov, p.path));
  if (o) return { file: overrideLabel(o.raw), line: 0, col: 0, message: p.message };
  const at = locate(doc, p.path);
  let offset: number | undefined;
  if (at.depth === p.path.length) {
    // Unknown keys and bad names point at the key; a key with an empty value too.
    offset = p.atKey || at.node == null ? startOf(at.key) : startOf(at.node);
    offset ??= startOf(at.key);
  } else {
    // Missing key: point at the mapping that should hold it, via its own key when it has one.
    offset = startOf(at.key) ?? startOf(at.node);
  }
  if (offset === undefined)
    return { file, line: p.path.length === 0 ? 1 : 0, col: p.path.length === 0 ? 1 : 0, message: p.message };
  return { file, ...position(offset), message: p.message };
}

function parseUnsafe(
  text: string,
  file: string,
  overrideArgs: readonly string[],
  options: LoaderOptions,
): Scenario {
  const quoted = quoteCalls(text);
  // Positions are reported in the text the author wrote, not the quoted copy YAML parsed, so the
  // line counter is fed the original line starts and offsets are mapped back before lookup.
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const position = (offset: number) => lines.linePos(quoted.original(offset));
  const doc = parseDocument(quoted.text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors
        .map((e) => ({ file, ...position(e.pos[0]), message: yamlMessage(e.message) }))
        .sort(byPosition),
    );
  }
  const issues: ScenarioIssue[] = [];
  const overrides: Override[] = [];
  for (const raw of overrideArgs) {
    try {
      const o = parseOverride(raw);
      applyOverride(doc, o);
      overrides.push(o);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      issues.push({ file: overrideLabel(raw), line: 0, col: 0, message: e.message });
    }
  }
  issues.push(...reservedKeyIssues(doc, file, position));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // yaml only notices alias problems (no anchor, "billion laughs" expansion) while building
    // values; point at the first alias that does not resolve, if that is the cause.
    let offset: number | undefined;
    visit(doc, {
      Alias(_, alias) {
        if (alias.resolve(doc) !== undefined) return undefined;
        offset = startOf(alias);
        return visit.BREAK;
      },
    });
    const at = offset === undefined ? { line: 1, col: 1 } : position(offset);
    issues.push({ file, ...at, message: `cannot read YAML: ${(e as Error).message}` });
    throw new ScenarioError(issues);
  }
  const result = ScenarioSchema.safeParse(data, { jitless: true });
  if (!result.success) {
    for (const zi of result.error.issues) {
      for (const p of describeIssue(zi, ScenarioSchema, data))
        issues.push(place(doc, p, file, overrides, position));
    }
  }
  if (issues.length > 0) {
    const seen = new Set<string>();
    const unique = issues.filter((i) => {
      const k = `${i.file}\0${i.line}\0${i.col}\0${i.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    throw new ScenarioError(unique.sort(byPosition));
  }
  return finish((result as { data: Scenario }).data, data, doc, file, overrides, position, options);
}

/**
 * What needs the file rather than the schema: budget positions (for verdict messages) and the
 * replay CSV, resolved against the scenario's folder and checked to exist.
 */
function finish(
  scenario: Scenario,
  data: unknown,
  doc: Document,
  file: string,
  overrides: Override[],
  position: (offset: number) => { line: number; col: number },
  options: LoaderOptions,
): Scenario {
  const written = (data as { budgets?: unknown }).budgets;
  const keys = typeof written === 'object' && written !== null ? Object.keys(written) : [];
  const budgets = scenario.budgets.map((b, i) => {
    const path = ['budgets', keys[i] ?? ''];
    const at = locate(doc, path);
    const offset =
      at.depth === path.length && !overrides.some((o) => covers(o, path)) ? startOf(at.key) : undefined;
    return offset === undefined ? b : { ...b, ...position(offset) };
  });
  if (scenario.load) {
    const raw = (data as { load?: { requests?: Record<string, unknown>; session?: unknown } }).load;
    const { load, issues } = resolveLoadRefs(scenario.load, file, (flow) =>
      Array.isArray(flow === '' ? raw?.session : raw?.requests?.[flow]),
    );
    issues.push(...envIssues(raw, options.env));
    if (issues.length > 0)
      throw new ScenarioError(issues.map((p) => place(doc, p, file, overrides, position)));
    scenario = { ...scenario, load };
  }
  const arrivals = scenario.users.arrivals;
  if (arrivals.kind !== 'replay') return { ...scenario, budgets };
  const csv = isAbsolute(arrivals.file) ? arrivals.file : resolve(dirname(file), arrivals.file);
  const problem = replayProblem(csv);
  if (problem !== undefined) {
    const p: PathIssue = { path: ['users', 'arrivals'], message: problem };
    throw new ScenarioError([place(doc, p, file, overrides, position)]);
  }
  return { ...scenario, budgets, users: { ...scenario.users, arrivals: { kind: 'replay', file: csv } } };
}

/** Runs `fn`, turning any failure that is not already a {@link ScenarioError} into one. */
function guarded<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new ScenarioError([{ file, line: 0, col: 0, message: `could not load the scenario: ${why}` }]);
  }
}

/**
 * Parses and validates scenario YAML. `file` is only used in messages. `overrides` are `--set`
 * arguments (`a.b.c=value`), applied before validation. Throws {@link ScenarioError} listing every
 * problem found.
 */
export function parseScenario(
  text: string,
  file: string,
  overrides: readonly string[] = [],
  options: LoaderOptions = {},
): Scenario {
  return guarded(file, () => parseUnsafe(text, file, overrides, options));
}

/**
 * Loads a scenario from a path or a catalog name (`mmc`), applying `--set` overrides. Throws
 * {@link ScenarioError} for a missing file, an unknown catalog name or any problem in the file.
 */
export function loadScenario(
  pathOrName: string,
  overrides: readonly string[] = [],
  options: LoaderOptions = {},
): Scenario {
  return guarded(pathOrName, () => {
    const resolved = resolveScenario(pathOrName);
    // Catalog files are reported relative to the working directory when that is shorter.
    const rel = relative(process.cwd(), resolved);
    const file = isPath(pathOrName) || rel.startsWith('..') ? resolved : rel;
    let text: string;
    try {
      checkInputFile(resolved, 'scenario file', MAX_SCENARIO_BYTES);
      text = readFileSync(resolved, 'utf8');
    } catch (e) {
      if (e instanceof ValueError) throw new ScenarioError([{ file, line: 0, col: 0, message: e.message }]);
      const code = (e as NodeJS.ErrnoException).code;
      const message =
        code === 'ENOENT'
          ? 'file not found'
          : code === 'EISDIR'
            ? 'is a directory, not a file'
            : `cannot read file (${code})`;
      throw new ScenarioError([{ file, line: 0, col: 0, message }]);
    }
    return parseScenario(text, file, overrides, options);
  });
}
