/**
 * Per-service rows: replicas, a utilization bar, mean queue and the breaker state; for the twin
 * under load, requests served per second and rejected instead of queue and breaker.
 */
import { Box, Text } from 'ink';
import { bar, int, pad, padName, pct, si } from './glyphs.js';
import type { Layout } from './layout.js';
import type { ServiceView } from './view.js';

const BREAKER: Record<string, string> = { closed: 'green', open: 'red', 'half-open': 'yellow' };

/** Bar colour by load: calm, busy, saturated. */
function loadColor(u: number): string {
  return u >= 0.9 ? 'red' : u >= 0.7 ? 'yellow' : 'green';
}

/** Props of {@link ServiceRows}. */
export interface ServiceRowsProps {
  services: ServiceView[];
  layout: Layout;
}

/** One row per service (the most utilized first when they do not all fit). */
export function ServiceRows({ services, layout }: ServiceRowsProps) {
  if (services.length === 0) return null;
  const sorted =
    services.length > layout.services
      ? [...services].sort((a, b) => b.utilization - a.utilization)
      : services;
  const shown = sorted.slice(0, layout.services);
  const hidden = services.length - shown.length;
  const n = layout.name;
  // The twin counts served and rejected requests; it has no mean queue nor breakers to show.
  const served = services.some((s) => s.rate !== undefined);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {`${pad('service', n)} ${pad('repl', 5, 'right')} ${pad('utilization', layout.bar + 7)} ${served ? `${pad('served/s', 8, 'right')}  rejected` : `${pad('queue', 8, 'right')}  breaker`}`}
      </Text>
      {shown.map((s) => (
        <Text key={s.name} wrap="truncate">
          {`${padName(s.name, n)} ${pad(String(s.replicas), 5, 'right')} `}
          <Text color={loadColor(s.utilization)}>{bar(s.utilization, layout.bar)}</Text>
          {`${pad(pct(s.utilization), 7, 'right')} ${pad(si(served ? (s.rate ?? 0) : s.queue), 8, 'right')}  `}
          {served ? (
            <Text color={(s.rejected ?? 0) > 0 ? 'red' : undefined} dimColor={!s.rejected}>
              {s.rejected ? int(s.rejected) : '-'}
            </Text>
          ) : s.breaker ? (
            <Text color={BREAKER[s.breaker] ?? 'yellow'}>{s.breaker}</Text>
          ) : (
            <Text dimColor>-</Text>
          )}
        </Text>
      ))}
      {hidden > 0 ? <Text dimColor>{`… ${hidden} more service(s)`}</Text> : null}
    </Box>
  );
}
