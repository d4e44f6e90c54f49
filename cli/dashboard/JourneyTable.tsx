/**
 * The per-journey table: throughput, p50, p99, errors and the budget verdict in colour.
 */
import { Box, Text } from 'ink';
import { ms, pad, pct, si } from './glyphs.js';
import type { Layout } from './layout.js';
import type { BudgetState, JourneyView } from './view.js';

const BUDGET: Record<BudgetState, { label: string; color?: string }> = {
  pass: { label: '✓ pass', color: 'green' },
  fail: { label: '✗ FAIL', color: 'red' },
  unsure: { label: '? unsure', color: 'yellow' },
  none: { label: '' },
};

/** Props of {@link JourneyTable}. */
export interface JourneyTableProps {
  journeys: JourneyView[];
  layout: Layout;
}

/** One row per journey (the busiest first when they do not all fit). */
export function JourneyTable({ journeys, layout }: JourneyTableProps) {
  const shown = journeys.slice(0, layout.journeys);
  const hidden = journeys.length - shown.length;
  const n = layout.name;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {`${pad('journey', n)} ${pad('thr/s', 8, 'right')} ${pad('p50', 9, 'right')} ${pad('p99', 9, 'right')} ${pad('errors', 7, 'right')}  budget`}
      </Text>
      {shown.map((j) => {
        const b = BUDGET[j.budget];
        return (
          <Text key={j.name} wrap="truncate">
            <Text color={j.budget === 'fail' ? 'red' : undefined}>{pad(j.name, n)}</Text>
            {` ${pad(si(j.throughput), 8, 'right')} ${pad(ms(j.p50), 9, 'right')} `}
            <Text color={j.budget === 'fail' ? 'red' : undefined}>{pad(ms(j.p99), 9, 'right')}</Text>
            {` ${pad(pct(j.errorRate), 7, 'right')}  `}
            <Text color={b.color} bold={j.budget === 'fail'}>
              {b.label}
            </Text>
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
