/**
 * How many terminal rows a text takes once written: lines wrap at the terminal's width, East Asian
 * wide characters take two cells, colour codes and combining marks none. The dashboard's last frame
 * is sized from this count of what is printed under it, and the same functions cut the lines that
 * must stay one row, so the count and the screen cannot disagree.
 */

import { eastAsianWidth } from 'get-east-asian-width';

/** The width assumed when the terminal does not say (a pipe, `columns` 0 or undefined). */
export const DEFAULT_COLUMNS = 80;

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC \`) and two-character escapes.
const ANSI =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is matched.
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

// Code points that take no cell, as string-width (Ink's measure) counts them: controls (other than
// those handled as motion), format characters, combining marks, default-ignorables (zero-width
// spaces and joiners, variation selectors), line and paragraph separators.
const ZERO = /^[\p{Control}\p{Format}\p{Mark}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}]$/u;

/** Cells one code point takes: 0, 1 or 2. */
export function cellWidth(codePoint: number): 0 | 1 | 2 {
  if (codePoint >= 0x20 && codePoint < 0x7f) return 1;
  if (ZERO.test(String.fromCodePoint(codePoint))) return 0;
  // East Asian Wide and Fullwidth (emoji included) from Unicode's own table, the one Ink lays out by.
  return eastAsianWidth(codePoint) === 2 ? 2 : 1;
}

/** `text` without colour codes and other escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The terminal's width as the dashboard uses it: `columns` when it is a positive number, else 80. */
export function usableColumns(columns: number | undefined): number {
  return columns !== undefined && Number.isFinite(columns) && columns >= 1
    ? Math.floor(columns)
    : DEFAULT_COLUMNS;
}

/** Cells one line takes on a terminal wide enough, escapes left out. */
export function displayWidth(line: string): number {
  let w = 0;
  for (const ch of stripAnsi(line)) w += cellWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** Rows one line (no LF in it) takes at `cols`: wrapping as xterm does, CR back to column 0. */
function lineRows(line: string, cols: number): number {
  let rows = 1;
  let row = 0;
  let col = 0;
  for (const ch of stripAnsi(line)) {
    if (ch === '\r') {
      // Back to the start of the row the cursor is on; what follows overwrites, adds no row.
      col = 0;
      continue;
    }
    if (ch === '\t') {
      // A tab moves to the next stop at most to the last column; it never wraps.
      col = Math.min(cols - 1, (Math.floor(col / 8) + 1) * 8);
      continue;
    }
    const w = Math.min(cellWidth(ch.codePointAt(0) ?? 0), cols);
    if (w === 0) continue;
    // A character that does not fit in what is left of the row starts the next one.
    if (col + w > cols) {
      row++;
      col = 0;
    }
    col += w;
    rows = Math.max(rows, row + 1);
  }
  return rows;
}

/**
 * Terminal rows `text` takes when written from the start of a row on a terminal `columns` wide
 * (0 or undefined: 80). A line exactly as wide as the terminal takes one row; a final LF does not
 * start a row of its own (the next output goes there), so `"a\nb\n"` takes 2 and `""` none.
 */
export function displayRows(text: string, columns?: number): number {
  if (text === '') return 0;
  const cols = usableColumns(columns);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let rows = 0;
  for (const line of lines) rows += lineRows(line, cols);
  return rows;
}

/**
 * `line` made one row at `columns` (0 or undefined: 80): control characters (CR, LF, tabs, escapes)
 * become spaces so nothing can move the cursor, and a line too wide is cut with `…` at a character
 * boundary, a wide character never split.
 */
export function cutToWidth(line: string, columns?: number): string {
  const cols = usableColumns(columns);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced.
  const flat = stripAnsi(line).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  if (displayWidth(flat) <= cols) return flat;
  let out = '';
  let w = 0;
  for (const ch of flat) {
    const cw = cellWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > cols - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}
