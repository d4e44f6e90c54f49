/**
 * What a flow's templates name must exist before anything runs: every feed file (read and parsed,
 * relative to the scenario), every `{{feed.<name>.<column>}}` column, and every `{{variable}}`
 * captured by an earlier step or by the session. Problems come back as path issues, so the loader
 * reports them as `file:line:col` and exit 2, never as errors in the middle of a run.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { PathIssue } from './issues.js';
import { type FeedData, FeedError, readFeed } from './load-feeds.js';
import type { FlowStep, Load } from './load-section.js';
import { closest, didYouMean, listOf } from './suggest.js';
import { DOTTED_COLUMN, feedPlaceholder, placeholders, strayFeedPlaceholder } from './template-syntax.js';

const BUILTIN = /^(user\.id|catalog\.item|faker\..+)$/;

/** `; did you mean …?` naming the closest column as a placeholder when it needs the bracket form, else the columns. */
function suggestColumn(feed: string, column: string, cols: readonly string[]): string {
  const c = closest(column, cols);
  if (c !== undefined)
    return `; did you mean ${DOTTED_COLUMN.test(c) ? `\`${c}\`` : feedPlaceholder(feed, c)}?`;
  return `; its columns are ${cols.map(quoted).join(', ')}`;
}

/** A column name in a message: as written when plain, else a JSON string (one line, quotes escaped). */
const quoted = (column: string) => (DOTTED_COLUMN.test(column) ? `\`${column}\`` : JSON.stringify(column));

/** Every template text of a request step: path, header values, body, JSON string leaves. */
function texts(step: FlowStep): string[] {
  if (step.kind !== 'request') return [];
  const out = [step.path, ...Object.values(step.headers)];
  if (step.body !== undefined) out.push(step.body);
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  walk(step.json);
  return out;
}

/**
 * Resolves feed files against `scenarioFile`'s folder and checks every template reference.
 * `listed(flow)` tells whether a flow was written as a list (positions then name the step).
 */
export function resolveLoadRefs(
  load: Load,
  scenarioFile: string,
  listed: (flow: string) => boolean,
): { load: Load; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  const columns = new Map<string, string[]>();
  const feeds: Load['feeds'] = {};
  for (const [name, feed] of Object.entries(load.feeds)) {
    const file = isAbsolute(feed.file) ? feed.file : resolve(dirname(scenarioFile), feed.file);
    feeds[name] = { ...feed, file };
    let data: FeedData;
    try {
      data = readFeed(file);
    } catch (e) {
      if (!(e instanceof FeedError)) throw e;
      issues.push({ path: ['load', 'feeds', name, 'file'], message: e.message });
      continue;
    }
    columns.set(name, data.columns);
    for (const c of feed.secret)
      if (!data.columns.includes(c))
        issues.push({
          path: ['load', 'feeds', name, 'columns', c],
          atKey: true,
          message: `feed \`${name}\` has no column \`${c}\`${didYouMean(c, data.columns) || `; its columns are ${listOf(data.columns)}`}`,
        });
  }
  const check = (
    flow: string,
    where: (string | number)[],
    steps: readonly FlowStep[],
    known: Set<string>,
  ) => {
    steps.forEach((step, i) => {
      const path = listed(flow) ? [...where, i] : where;
      for (const text of texts(step)) {
        const stray = strayFeedPlaceholder(text);
        if (stray !== undefined)
          issues.push({
            path,
            message: `\`${stray}\` is not a feed placeholder: write {{feed.<name>.<column>}}, or {{feed.<name>["<column>"]}} for a column with other characters than letters, digits, \`_\`, \`.\` and \`-\``,
          });
        for (const { text: written, ref } of placeholders(text)) {
          if (ref.kind === 'env') continue;
          if (ref.kind === 'feed') {
            const cols = columns.get(ref.feed);
            if (!Object.hasOwn(load.feeds, ref.feed)) {
              const all = Object.keys(load.feeds);
              issues.push({
                path,
                message: `unknown feed \`${ref.feed}\` in ${written}${didYouMean(ref.feed, all) || (all.length ? `; feeds are ${listOf(all)}` : '; declare it under `load.feeds`')}`,
              });
            } else if (cols && !cols.includes(ref.column))
              issues.push({
                path,
                message: `feed \`${ref.feed}\` has no column ${quoted(ref.column)}${suggestColumn(ref.feed, ref.column, cols)}`,
              });
            continue;
          }
          const name = ref.name;
          if (BUILTIN.test(name) || known.has(name)) continue;
          const vars = [...known];
          issues.push({
            path,
            message: `unknown variable {{${name}}}${didYouMean(name, vars) || (vars.length ? `; captured before this step: ${listOf(vars)}` : ': capture it in an earlier step or the session')}`,
          });
        }
      }
      if (step.kind === 'request') for (const c of step.capture) known.add(c.name);
    });
  };
  const sessionVars = new Set<string>();
  if (load.session) check('', ['load', 'session'], load.session, sessionVars);
  for (const [name, steps] of Object.entries(load.requests))
    check(name, ['load', 'requests', name], steps, new Set(sessionVars));
  return { load: { ...load, feeds }, issues };
}
