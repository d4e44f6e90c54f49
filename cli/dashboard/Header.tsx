/**
 * Title line (scenario, seed, replication, status) and the progress bar of simulated time.
 */
import { Box, Text } from 'ink';
import { bar, clock, si } from './glyphs.js';
import type { Layout } from './layout.js';
import type { DashboardView } from './view.js';

const STATUS: Record<DashboardView['status'], { label: string; color: string }> = {
  running: { label: 'running', color: 'cyan' },
  paused: { label: 'PAUSED', color: 'yellow' },
  stopping: { label: 'stopping…', color: 'yellow' },
  done: { label: 'done', color: 'green' },
  stopped: { label: 'stopped (partial)', color: 'yellow' },
};

/** Props of {@link Header}. */
export interface HeaderProps {
  view: DashboardView;
  layout: Layout;
}

/** Scenario name and seed, then a progress bar over all replications with events/s. */
export function Header({ view, layout }: HeaderProps) {
  const status = STATUS[view.status];
  const done = view.status === 'done';
  const share = done
    ? 1
    : view.duration > 0
      ? (view.replication + Math.min(1, view.time / view.duration)) / Math.max(1, view.replications)
      : 0;
  const right = ` ${(share * 100).toFixed(0).padStart(3)}%  ${clock(done ? view.duration : view.time)}/${clock(view.duration)}  ${si(view.eventsPerSec)} ev/s`;
  const barWidth = Math.max(10, layout.width - right.length - 1);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>backline run </Text>
        <Text bold color="cyan">
          {view.scenario}
        </Text>
        <Text>
          {`  seed ${view.seed}  replication ${done ? view.replications : Math.min(view.replication + 1, view.replications)}/${view.replications}  ${si(view.events)} events  `}
        </Text>
        <Text color={status.color}>{status.label}</Text>
      </Text>
      <Text wrap="truncate">
        <Text color="cyan">{bar(share, barWidth)}</Text>
        {right}
      </Text>
    </Box>
  );
}
