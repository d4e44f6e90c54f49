/**
 * Checks of the `budgets` section, and the subject kinds a budget can be about: a subject names a
 * journey, service, store, stream, `p2p`, `cdn` or `cost`, and the metric is one that kind has.
 */
import { METRICS, type SubjectKind, splitBudgetKey } from './budgets.js';
import type { Names } from './names.js';
import { type Ctx, type Path, type Rec, recordOf } from './raw-values.js';
import { didYouMean, listOf } from './suggest.js';

/** Which kinds of subject a budget's subject name can be, in order of preference. */
export function subjectKinds(subject: string, value: Rec): SubjectKind[] {
  const kinds: SubjectKind[] = [];
  const journeys = recordOf(recordOf(value.users).journeys);
  if (Object.hasOwn(journeys, subject)) kinds.push('journey');
  const step = /^([^[]+)\[[\s\S]+\]$/.exec(subject);
  if (step && Object.hasOwn(journeys, step[1])) kinds.push('step');
  if (Object.hasOwn(recordOf(value.services), subject)) kinds.push('service');
  if (Object.hasOwn(recordOf(value.stores), subject)) kinds.push('store');
  if (Object.hasOwn(recordOf(value.streams), subject)) kinds.push('stream');
  if (subject === 'p2p' && value.p2p !== undefined) kinds.push('p2p');
  if (subject === 'cdn' && value.cdn !== undefined) kinds.push('cdn');
  if (subject === 'cost') kinds.push('cost');
  return kinds;
}

/** The kind a budget is about: the first kind its subject names that has the metric. */
export function budgetKind(subject: string, metric: string, value: Rec): SubjectKind | undefined {
  return subjectKinds(subject, value).find((k) => Object.hasOwn(METRICS[k], metric));
}

const PLURAL: Record<SubjectKind, string> = {
  journey: 'journeys',
  step: 'flow steps',
  service: 'services',
  store: 'stores',
  stream: 'streams',
  p2p: 'p2p',
  cdn: 'cdn',
  cost: 'cost',
};

/** Every budget's subject and metric, in either spelling (list or `subject.metric` keys). */
export function checkBudgets(value: Rec, n: Names, ctx: Ctx): void {
  const budgets = value.budgets;
  const entries: { key: string; subject: string; metric: string }[] = [];
  if (Array.isArray(budgets)) {
    for (const b of budgets) {
      const { subject, metric } = recordOf(b);
      if (typeof subject === 'string' && typeof metric === 'string')
        entries.push({
          key: subject === 'cost' && metric === 'cost' ? 'cost' : `${subject}.${metric}`,
          subject,
          metric,
        });
    }
  } else {
    for (const key of Object.keys(recordOf(budgets))) {
      const split = splitBudgetKey(key);
      if (split) entries.push({ key, ...split });
    }
  }
  const subjects = [
    ...n.journeys,
    ...Object.keys(n.services),
    ...n.stores,
    ...n.streams,
    ...(n.p2p ? ['p2p'] : []),
    ...(n.cdn ? ['cdn'] : []),
    'cost',
  ];
  for (const { key, subject, metric } of entries) {
    const path: Path = ['budgets', key];
    const issue = (message: string) =>
      ctx.addIssue({ code: 'custom', path, message, params: { atKey: true } });
    const kinds = subjectKinds(subject, value);
    if (kinds.length === 0) {
      if (subject === 'p2p' || subject === 'cdn') issue(`budget \`${key}\` needs a \`${subject}\` section`);
      else
        issue(
          `unknown subject \`${subject}\` in budget \`${key}\`${didYouMean(subject, subjects) || `; budgets can name ${listOf([...new Set(subjects)])}`}`,
        );
      continue;
    }
    if (budgetKind(subject, metric, value) !== undefined) continue;
    const k = kinds[0];
    const valid = Object.keys(METRICS[k]);
    const what = k === 'p2p' || k === 'cdn' || k === 'cost' ? `\`${subject}\`` : `${k} \`${subject}\``;
    issue(
      `\`${metric}\` is not a metric of ${what}${didYouMean(metric, valid)}; ${PLURAL[k]} have ${listOf(valid)}`,
    );
  }
}
