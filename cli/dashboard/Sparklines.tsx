/**
 * Sparklines of throughput, p99 and error rate from the start of the run, one row per journey. Each
 * cell is the recent windows' figure over its share of the run (the worst p99 and error rate, the
 * mean throughput), so an outage shows as a dip or a spike, not a slow drift, and stays in view
 * until the end.
 */
import { Box, Text } from 'ink';
import { ms, pad, padName, pct, si, sparkline } from './glyphs.js';
import type { Layout } from './layout.js';
import { type Combine, sparkCells } from './series.js';
import type { JourneyView } from './view.js';

/** Props of {@link Sparklines}. */
export interface SparklinesProps {
  journeys: JourneyView[];
  layout: Layout;
}

/** `name thr ▁▂▅▇ 3.20/s  p99 ▁▁▂▃ 12.3ms  err ▁▁█▁ 4.0%` per journey. */
export function Sparklines({ journeys, layout }: SparklinesProps) {
  const shown = journeys.slice(0, layout.sparklines);
  const spark = (values: number[], how: Combine) =>
    sparkline(sparkCells(values, layout.spark, how), layout.spark);
  if (shown.length === 0) return null;
  return (
    <Box flexDirection="column">
      {shown.map((j) => (
        <Text key={j.name} wrap="truncate">
          {`${padName(j.name, layout.name)} thr `}
          <Text color="cyan">{spark(j.history.throughput, 'mean')}</Text>
          {` ${pad(`${si(j.throughput)}/s`, 8)} p99 `}
          <Text color={j.budget === 'fail' ? 'red' : 'magenta'}>{spark(j.history.p99, 'max')}</Text>
          {` ${pad(ms(j.p99), 8)} err `}
          <Text color={j.errorRate > 0 ? 'yellow' : 'gray'}>{spark(j.history.errors, 'max')}</Text>
          {` ${pct(j.errorRate)}`}
        </Text>
      ))}
    </Box>
  );
}
