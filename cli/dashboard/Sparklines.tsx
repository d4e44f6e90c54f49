/**
 * Sparklines of throughput, p99 and error rate over time, one row per journey. Each point is the
 * recent window's figure at one snapshot, so an outage shows as a dip or a spike, not a slow drift.
 */
import { Box, Text } from 'ink';
import { ms, pad, padName, pct, si, sparkline } from './glyphs.js';
import type { Layout } from './layout.js';
import type { JourneyView } from './view.js';

/** Props of {@link Sparklines}. */
export interface SparklinesProps {
  journeys: JourneyView[];
  layout: Layout;
}

/** `name thr ▁▂▅▇ 3.20/s  p99 ▁▁▂▃ 12.3ms  err ▁▁█▁ 4.0%` per journey. */
export function Sparklines({ journeys, layout }: SparklinesProps) {
  const shown = journeys.slice(0, layout.sparklines);
  if (shown.length === 0) return null;
  return (
    <Box flexDirection="column">
      {shown.map((j) => (
        <Text key={j.name} wrap="truncate">
          {`${padName(j.name, layout.name)} thr `}
          <Text color="cyan">{sparkline(j.history.throughput, layout.spark)}</Text>
          {` ${pad(`${si(j.throughput)}/s`, 8)} p99 `}
          <Text color={j.budget === 'fail' ? 'red' : 'magenta'}>
            {sparkline(j.history.p99, layout.spark)}
          </Text>
          {` ${pad(ms(j.p99), 8)} err `}
          <Text color={j.errorRate > 0 ? 'yellow' : 'gray'}>{sparkline(j.history.errors, layout.spark)}</Text>
          {` ${pct(j.errorRate)}`}
        </Text>
      ))}
    </Box>
  );
}
