/**
 * Markers of the faults that have fired so far, newest last.
 */
import { Text } from 'ink';
import { clock } from './glyphs.js';
import type { FaultView } from './view.js';

/** Props of {@link FaultMarkers}. */
export interface FaultMarkersProps {
  faults: FaultView[];
  /** Simulated now, to tell active faults from past ones. */
  time: number;
}

/** `faults ▲ 4m00s crash stores.playlists ×2 (active) · …`, or nothing before the first fault. */
export function FaultMarkers({ faults, time }: FaultMarkersProps) {
  if (faults.length === 0) return null;
  // The newest matter most: show them first so truncation drops the oldest.
  const recent = [...faults].reverse();
  return (
    <Text wrap="truncate">
      <Text bold>faults </Text>
      {recent.map((f, i) => {
        const active = f.active ?? (time >= f.at && time < f.at + f.for);
        return (
          <Text key={`${f.at}-${f.label}`} color={active ? 'red' : 'gray'}>
            {`${i > 0 ? ' · ' : ''}▲ ${clock(f.at)} ${f.label}${active ? ' (active)' : ''}`}
          </Text>
        );
      })}
    </Text>
  );
}
