/**
 * Every budget with its verdict and the value it was judged on, packed into as few lines as fit:
 * `✓ play.p99 < 400ms (213ms)   ✗ play.errors < 1% (4.0%)   ✓ plays.lag.p99 < 10s (3.95s)`. Failing
 * budgets come first, so a cut keeps them.
 */
import { Box, Text } from 'ink';
import { BUDGET_MARKS } from './glyphs.js';
import type { BudgetState, BudgetView } from './view.js';

const MARK = BUDGET_MARKS;
const RANK = Object.keys(MARK) as BudgetState[];
const GAP = '   ';
const LABEL = 'budgets ';

/** One budget as it reads in the rows. */
export function budgetText(b: BudgetView): string {
  const why =
    b.state === 'pending'
      ? ' (at the end)'
      : b.state === 'warming'
        ? ' (warming up)'
        : b.state === 'nodata'
          ? ' (no data)'
          : ` (${b.value})`;
  return `${MARK[b.state].glyph} ${b.expr}${why}`;
}

/** The budgets in display order, packed greedily into lines of `width` cells. */
export function packBudgets(budgets: readonly BudgetView[], width: number): BudgetView[][] {
  const sorted = [...budgets].sort((a, b) => RANK.indexOf(a.state) - RANK.indexOf(b.state));
  const out: BudgetView[][] = [];
  let line: BudgetView[] = [];
  let used = LABEL.length;
  for (const b of sorted) {
    const len = [...budgetText(b)].length;
    if (line.length > 0 && used + GAP.length + len > width) {
      out.push(line);
      line = [];
      used = LABEL.length;
    }
    used += (line.length > 0 ? GAP.length : 0) + len;
    line.push(b);
  }
  if (line.length > 0) out.push(line);
  return out;
}

/** Props of {@link BudgetRows}. */
export interface BudgetRowsProps {
  budgets: BudgetView[];
  width: number;
  /** Most lines to take; the last says how many budgets did not fit. */
  lines: number;
}

/** The budget lines, or nothing when the scenario has no budgets. */
export function BudgetRows({ budgets, width, lines }: BudgetRowsProps) {
  const packed = packBudgets(budgets, width);
  if (packed.length === 0) return null;
  const shown = packed.slice(0, Math.max(1, lines));
  const hidden = packed.slice(shown.length).reduce((a, l) => a + l.length, 0);
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Text key={line.map((b) => b.expr).join('|')} wrap="truncate">
          <Text bold>{i === 0 ? LABEL : ' '.repeat(LABEL.length)}</Text>
          {line.map((b, k) => (
            <Text key={b.expr} color={MARK[b.state].color} dimColor={b.state === 'pending'}>
              {`${k > 0 ? GAP : ''}${budgetText(b)}`}
            </Text>
          ))}
          {hidden > 0 && i === shown.length - 1 ? <Text dimColor>{`${GAP}+${hidden} more`}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
