/**
 * Sparklines of throughput and p99 over time, one row per journey.
 */
import { Box, Text } from 'ink';
import { ms, pad, padName, si, sparkline } from './glyphs.js';
import type { Layout } from './layout.js';
import type { JourneyView } from './view.js';

/** Props of {@link Sparklines}. */
export interface SparklinesProps {
  journeys: JourneyView[];
  layout: Layout;
}

/** `name  thr ▁▂▅▇ 3.20/s   p99 ▁▁▂▃ 12.3ms` per journey. */
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
          {` ${ms(j.p99)}`}
        </Text>
      ))}
    </Box>
  );
}
