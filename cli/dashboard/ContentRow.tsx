/**
 * CDN hit ratio, P2P byte shares and stream lag, when the scenario models them.
 */
import { Text } from 'ink';
import { pct } from './glyphs.js';
import type { ContentView } from './view.js';

/** Props of {@link ContentRow}. */
export interface ContentRowProps {
  content?: ContentView;
}

/** The row's text after its label; empty when no content figure is present. */
export function contentText(content: ContentView | undefined): string {
  if (!content) return '';
  const parts: string[] = [];
  if (content.cdnHitRatio !== undefined) parts.push(`CDN hit ${pct(content.cdnHitRatio)}`);
  if (content.p2p)
    parts.push(
      `P2P server ${pct(content.p2p.server)} · peers ${pct(content.p2p.peer)} · cache ${pct(content.p2p.cache)}`,
    );
  if (content.streamLag !== undefined) parts.push(`stream lag p99 ${content.streamLag.toFixed(2)}s`);
  return parts.join('   ');
}

/** One line, or nothing when no content figure is present. */
export function ContentRow({ content }: ContentRowProps) {
  const text = contentText(content);
  if (!text) return null;
  return (
    <Text wrap="truncate">
      <Text bold>content </Text>
      {text}
    </Text>
  );
}
