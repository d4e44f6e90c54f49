import { describe, expect, it } from 'vitest';
import {
  cellWidth,
  cutToWidth,
  displayRows,
  displayWidth,
  stripAnsi,
} from '../../cli/dashboard/terminal-rows.js';

describe('displayRows counts the rows a text takes on a terminal', () => {
  it('counts one row per line, a final LF starting none, and an empty line as a row', () => {
    expect(displayRows('', 80)).toBe(0);
    expect(displayRows('\n', 80)).toBe(1);
    expect(displayRows('a', 80)).toBe(1);
    expect(displayRows('a\nb\n', 80)).toBe(2);
    expect(displayRows('a\n\nb\n', 80)).toBe(3);
    expect(displayRows('a\r\nb\r\n', 80)).toBe(2);
  });

  it('wraps a long line at the width: exactly 80 cells is one row, 81 is two, 240 is three', () => {
    expect(displayRows('x'.repeat(80), 80)).toBe(1);
    expect(displayRows('x'.repeat(81), 80)).toBe(2);
    expect(displayRows(`${'x'.repeat(240)}\n`, 80)).toBe(3);
    expect(displayRows(`${'x'.repeat(241)}\n`, 80)).toBe(4);
    // A very long word has no break: it wraps by cells like anything else.
    expect(displayRows('w'.repeat(100_000), 80)).toBe(1250);
  });

  it('counts the generator warning that wraps to 3 rows at 80 columns (issue 14)', () => {
    const warning =
      'backline: warning: the load generator could not keep the schedule: 4.4 % of requests started more than 10 ms late; use --workers or fewer connections (or --allow-late to judge the budgets on these numbers anyway)\n';
    expect(displayRows(warning, 80)).toBe(3);
    expect(displayRows(warning, 120)).toBe(2);
    expect(displayRows(warning, 300)).toBe(1);
  });

  it('counts CJK characters as two cells and never splits one across rows', () => {
    expect(displayWidth('推荐服务')).toBe(8);
    expect(displayRows('推'.repeat(40), 80)).toBe(1);
    expect(displayRows('推'.repeat(41), 80)).toBe(2);
    // 79 narrow cells leave one: the wide character goes whole to the next row.
    expect(displayRows(`${'x'.repeat(79)}推`, 80)).toBe(2);
    expect(displayRows(`${'x'.repeat(78)}推`, 80)).toBe(1);
    // Fullwidth forms and emoji are wide too; combining marks and zero-width joiners take no cell.
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('a\u200db')).toBe(2);
  });

  it('leaves colour codes and other escape sequences out of the width', () => {
    const red = '\u001b[31m✗ FAIL\u001b[39m';
    expect(displayWidth(red)).toBe(6);
    expect(displayRows(`\u001b[1m${'x'.repeat(80)}\u001b[22m`, 80)).toBe(1);
    // A window title (OSC … BEL) prints nothing.
    expect(displayWidth('\u001b]0;pwned\u0007ok')).toBe(2);
    expect(stripAnsi('\u001b[38;2;255;0;0mred\u001b[0m')).toBe('red');
  });

  it('takes a CR inside a name as a return to the start of the row: no row is added', () => {
    expect(displayRows('play\rsearch', 80)).toBe(1);
    // What was written past the first row stays: the CR returns within the last row.
    expect(displayRows(`${'x'.repeat(100)}\ry`, 80)).toBe(2);
    // An LF inside a name is a new row, wherever it comes from.
    expect(displayRows('budget failed: pl\nay.p99 < 400ms', 80)).toBe(2);
  });

  it('falls back to 80 columns when the terminal says 0, nothing or nonsense', () => {
    const line = 'x'.repeat(100);
    for (const cols of [0, undefined, Number.NaN, -5, Number.POSITIVE_INFINITY])
      expect(displayRows(line, cols)).toBe(2);
    // One column: every cell, wide or not, is a row.
    expect(displayRows('ab推', 1)).toBe(3);
  });

  it('gives control characters no width and printable ASCII one', () => {
    expect(cellWidth(0x07)).toBe(0);
    expect(cellWidth(0x1b)).toBe(0);
    expect(cellWidth(0x41)).toBe(1);
    expect(cellWidth(0x2588)).toBe(1); // █, the bars' block, is narrow
    expect(cellWidth(0x4e00)).toBe(2);
  });
});

describe('cutToWidth keeps a line to one row', () => {
  it('cuts a long line with an ellipsis to exactly the width', () => {
    const cut = cutToWidth(`budget failed: ${'recommendations.p99 < 400ms, '.repeat(10)}`, 80);
    expect(displayWidth(cut)).toBe(80);
    expect(cut.endsWith('…')).toBe(true);
    expect(displayRows(cut, 80)).toBe(1);
    expect(cutToWidth('short', 80)).toBe('short');
  });

  it('turns CR, LF, tabs and escapes into spaces so a name cannot forge a line or move the cursor', () => {
    const cut = cutToWidth('play\r\nbudget ✓ pass\t\u001b[2J\u001b]0;t\u0007', 80);
    expect(cut).toBe('play  budget ✓ pass ');
    expect(displayRows(cut, 80)).toBe(1);
  });

  it('never splits a wide character: the cut stops before it', () => {
    const cut = cutToWidth('推'.repeat(50), 80);
    expect(cut).toBe(`${'推'.repeat(39)}…`);
    expect(displayWidth(cut)).toBe(79);
    expect(displayRows(cut, 80)).toBe(1);
  });

  it('cuts at 80 when the terminal says 0 or nothing, to an ellipsis alone at 1', () => {
    expect(displayWidth(cutToWidth('x'.repeat(200), 0))).toBe(80);
    expect(displayWidth(cutToWidth('x'.repeat(200), undefined))).toBe(80);
    expect(cutToWidth('xyz', 1)).toBe('…');
  });
});
