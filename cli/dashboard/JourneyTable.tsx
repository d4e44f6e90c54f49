/**
 * The per-journey table: throughput, p50, p99, errors (by cause when known) and the budget verdict
 * in colour.
 */
import { Box, Text } from 'ink';
import { BUDGET_MARKS, clock, int, ms, pad, padName, pct, si } from './glyphs.js';
import type { Layout } from './layout.js';
import type { JourneyView } from './view.js';

const BUDGET = BUDGET_MARKS;
const LABEL_WIDTH = 10;

/** Props of {@link JourneyTable}. */
export interface JourneyTableProps {
  journeys: JourneyView[];
  layout: Layout;
  /** Header of the p99 column (`p99 corr` for a load run's coordinated-omission-corrected p99). */
  p99Label?: string;
  /** Seconds the figures cover (the recent window); absent for the whole run. */
  window?: number;
}

/** `503×12 · refused×3`: the causes, most frequent first; `status_503` reads as `503`. */
export function causesText(causes: Record<string, number> | undefined): string {
  if (!causes) return '';
  return Object.entries(causes)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([cause, n]) => `${cause.replace(/^status_/, '')}×${int(n)}`)
    .join(' · ');
}

/** One row per journey (the busiest first when they do not all fit). */
export function JourneyTable({ journeys, layout, p99Label = 'p99', window }: JourneyTableProps) {
  const shown = journeys.slice(0, layout.journeys);
  const hidden = journeys.length - shown.length;
  const n = layout.name;
  // Causes follow the verdict, so the verdicts line up when any row has causes.
  const withCauses = shown.some((j) => causesText(j.causes) !== '');
  const withChecks = shown.some((j) => j.checks !== undefined);
  // While running the figures are the last seconds' (so a burst shows), at the end the whole run's.
  const title =
    window === undefined ? 'journey' : `last ${window < 10 ? `${window.toFixed(1)}s` : clock(window)}`;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {`${pad(title, n)} ${pad('thr/s', 8, 'right')} ${pad('p50', 9, 'right')} ${pad(p99Label, 9, 'right')} ${pad('errors', 7, 'right')}${withChecks ? ` ${pad('checks', 7, 'right')}` : ''}  ${withCauses ? `${pad('budget', LABEL_WIDTH)}  by cause` : 'budget'}`}
      </Text>
      {shown.map((j) => {
        const b = BUDGET[j.budget];
        const causes = causesText(j.causes);
        return (
          <Text key={j.name} wrap="truncate">
            <Text color={j.budget === 'fail' ? 'red' : undefined}>{padName(j.name, n)}</Text>
            {` ${pad(si(j.throughput), 8, 'right')} ${pad(ms(j.p50), 9, 'right')} `}
            <Text color={j.budget === 'fail' ? 'red' : undefined}>{pad(ms(j.p99), 9, 'right')}</Text>
            {` ${pad(pct(j.errorRate), 7, 'right')}`}
            {withChecks ? (
              <Text
                color={(j.checks ?? 1) < 1 ? 'yellow' : undefined}
              >{` ${pad(pct(j.checks ?? Number.NaN), 7, 'right')}`}</Text>
            ) : null}
            {'  '}
            <Text color={b.color} bold={j.budget === 'fail'} dimColor={j.budget === 'pending'}>
              {withCauses ? pad(b.label, LABEL_WIDTH) : b.label}
            </Text>
            {causes ? <Text color="yellow">{`  ${causes}`}</Text> : null}
            {j.breaches.length > 0 && layout.width >= 100 ? (
              <Text color="red">{`  ${j.breaches.join(', ')}`}</Text>
            ) : null}
          </Text>
        );
      })}
      {hidden > 0 ? <Text dimColor>{`… ${hidden} more journey(s)`}</Text> : null}
    </Box>
  );
}
