/**
 * How many terminal rows a text takes once written: lines wrap at the terminal's width, East Asian
 * wide characters take two cells, colour codes and combining marks none. The dashboard's last frame
 * is sized from this count of what is printed under it, and the same functions cut the lines that
 * must stay one row, so the count and the screen cannot disagree.
 */

/** The width assumed when the terminal does not say (a pipe, `columns` 0 or undefined). */
export const DEFAULT_COLUMNS = 80;

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC \`) and two-character escapes.
const ANSI =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is matched.
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

// Code points two cells wide (East Asian Wide and Fullwidth, emoji blocks), as [first, last].
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x274c, 0x274c],
  [0x2753, 0x2755],
  [0x2795, 0x2797],
  [0x2b1b, 0x2b1c],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f2ff],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

// Code points that take no cell: controls (other than those handled as motion), combining marks,
// zero-width spaces and joiners, variation selectors.
const ZERO: readonly (readonly [number, number])[] = [
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x0e31, 0x0e31],
  [0x0e34, 0x0e3a],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2064],
  [0x20d0, 0x20ff],
  [0x302a, 0x302d],
  [0x3099, 0x309a],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff],
  [0xe0000, 0xe0fff],
];

function within(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
  // Binary search: the tables are sorted and disjoint.
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid];
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Cells one code point takes: 0, 1 or 2. */
export function cellWidth(codePoint: number): 0 | 1 | 2 {
  if (codePoint >= 0x20 && codePoint < 0x7f) return 1;
  if (within(codePoint, ZERO)) return 0;
  return within(codePoint, WIDE) ? 2 : 1;
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
