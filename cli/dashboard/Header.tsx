/**
 * Title line (scenario, seed, replication, status) and the progress bar of simulated time; for a
 * load run, the tool and the progress bar of wall time with requests/s achieved against offered.
 */
import { Box, Text } from 'ink';
import { bar, clock, int, si } from './glyphs.js';
import type { Layout } from './layout.js';
import type { DashboardView, LoadRunView } from './view.js';

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
  if (view.load) return <LoadHeader view={view} load={view.load} layout={layout} />;
  const done = view.status === 'done';
  const share = done
    ? 1
    : view.duration > 0
      ? (view.replication + Math.min(1, view.time / view.duration)) / Math.max(1, view.replications)
      : 0;
  const right = ` ${(share * 100).toFixed(0).padStart(3)}%  ${clock(done ? view.duration : view.time)}/${clock(view.duration)}  ${si(view.eventsPerSec)} ev/s`;
  const facts = `  seed ${view.seed}  replication ${done ? view.replications : Math.min(view.replication + 1, view.replications)}/${view.replications}  ${si(view.events)} events  `;
  return <TitleAndBar command="run" view={view} facts={facts} share={share} right={right} layout={layout} />;
}

/** The two header lines every run shows: title with status, then the progress bar and its figures. */
function TitleAndBar(props: {
  command: 'run' | 'load';
  view: DashboardView;
  facts: string;
  share: number;
  right: string;
  layout: Layout;
}) {
  const { view, share, right } = props;
  const status = STATUS[view.status];
  const barWidth = Math.max(10, props.layout.width - right.length - 1);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>{`backline ${props.command} `}</Text>
        <Text bold color="cyan">
          {view.scenario}
        </Text>
        <Text>{props.facts}</Text>
        <Text color={status.color}>{status.label}</Text>
      </Text>
      <Text wrap="truncate">
        <Text color="cyan">{bar(share, barWidth)}</Text>
        {right}
      </Text>
    </Box>
  );
}

/** Wall seconds, with a decimal while short loads make whole seconds too coarse. */
function wall(seconds: number): string {
  return seconds < 60 ? `${Math.max(0, seconds).toFixed(1)}s` : clock(seconds);
}

/** `48.0/50.0 req/s` in the open model, `1.23k req/s` otherwise. */
export function rates(load: LoadRunView): string {
  return load.offered !== undefined
    ? `${si(load.achieved)}/${si(load.offered)} req/s`
    : `${si(load.achieved)} req/s`;
}

/** The load run's title and its wall-time progress bar. */
function LoadHeader({ view, load, layout }: { view: DashboardView; load: LoadRunView; layout: Layout }) {
  const done = view.status === 'done';
  const share = done ? 1 : load.duration > 0 ? Math.min(1, load.elapsed / load.duration) : 0;
  // Counts go on the bar's line, which gives way to them, so the status on the title line fits 80 columns.
  const counts =
    load.measured !== undefined
      ? `${int(load.measured)} measured`
      : `${int(load.sent)} sent  ${int(load.inFlight)} in flight`;
  const right = ` ${(share * 100).toFixed(0).padStart(3)}%  ${wall(Math.min(load.elapsed, load.duration))}/${wall(load.duration)}  ${rates(load)}  ${counts}`;
  return (
    <TitleAndBar
      command="load"
      view={view}
      facts={`  ${load.tool}  seed ${view.seed}  `}
      share={share}
      right={right}
      layout={layout}
    />
  );
}
