/**
 * The whole dashboard frame. A pure function of its props: the live container feeds it views, the
 * tests feed it fixtures.
 */
import { Box, Text } from 'ink';
import { BudgetRows, packBudgets } from './BudgetRows.js';
import { ContentRow, contentText } from './ContentRow.js';
import { FaultMarkers } from './FaultMarkers.js';
import { Header } from './Header.js';
import { JourneyTable } from './JourneyTable.js';
import { layout } from './layout.js';
import { ServiceRows } from './ServiceRows.js';
import { Sparklines } from './Sparklines.js';
import type { DashboardView } from './view.js';

/** Props of {@link Dashboard}. */
export interface DashboardProps {
  view: DashboardView;
  /** Terminal columns and rows to fit. */
  width: number;
  height: number;
  /** Show the key legend (not on the final frame). */
  keys?: boolean;
}

/** Title, progress, journeys, services, sparklines, content and faults, in at most `height` lines. */
export function Dashboard({ view, width, height, keys = true }: DashboardProps) {
  const extras = [contentText(view.content) !== '', view.faults.length > 0, keys].filter(Boolean).length;
  const l = layout(width, height, {
    journeys: view.journeys.length,
    services: view.services.length,
    budgets: packBudgets(view.budgets, Math.max(40, Math.floor(width))).length,
    extras,
  });
  return (
    <Box flexDirection="column" width={l.width}>
      <Header view={view} layout={l} />
      {view.load?.generator ? (
        <Text dimColor wrap="truncate">
          {`generator  ${view.load.generator}`}
        </Text>
      ) : (
        <Text> </Text>
      )}
      <JourneyTable
        journeys={view.journeys}
        layout={l}
        p99Label={view.load?.corrected ? 'p99 corr' : 'p99'}
        window={view.window}
      />
      <BudgetRows budgets={view.budgets} width={l.width} lines={l.budgets} />
      {view.services.length > 0 ? <Text> </Text> : null}
      <ServiceRows services={view.services} layout={l} />
      {l.sparklines > 0 ? <Text> </Text> : null}
      <Sparklines journeys={view.journeys} layout={l} />
      <ContentRow content={view.content} />
      <FaultMarkers faults={view.faults} time={view.time} />
      {keys ? (
        <Text dimColor wrap="truncate">
          {view.load
            ? 'q stop (keep results)'
            : view.status === 'paused'
              ? 'q stop (keep results) · p resume'
              : 'q stop (keep results) · p pause'}
        </Text>
      ) : null}
    </Box>
  );
}
