/**
 * Reading terminal frames in tests: strip ANSI sequences, and tell which foreground colour a piece
 * of text is drawn in by replaying the SGR codes before it.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI sequences start with ESC.
const SGR = /\x1b\[([0-9;]*)m/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI sequences start with ESC.
const ANY = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The frame without escape sequences. */
export function stripAnsi(s: string): string {
  return s.replace(ANY, '');
}

const NAMES: Record<number, string> = {
  30: 'black',
  31: 'red',
  32: 'green',
  33: 'yellow',
  34: 'blue',
  35: 'magenta',
  36: 'cyan',
  37: 'white',
  90: 'gray',
};

/**
 * The foreground colour in effect where `text` first appears in `frame` (after `anchor` when given);
 * undefined for the default colour.
 */
export function colourOf(frame: string, text: string, anchor?: string): string | undefined {
  let fg: string | undefined;
  let plain = '';
  let last = 0;
  const stripped = stripAnsi(frame);
  const plainTarget = stripped.indexOf(
    text,
    anchor === undefined ? 0 : Math.max(0, stripped.indexOf(anchor)),
  );
  if (plainTarget < 0) throw new Error(`\`${text}\` is not in the frame`);
  for (const m of frame.matchAll(SGR)) {
    const before = frame.slice(last, m.index).replace(ANY, '');
    if (plain.length + before.length > plainTarget) return fg;
    plain += before;
    last = (m.index ?? 0) + m[0].length;
    for (const code of (m[1] || '0').split(';').map(Number)) {
      if (code === 0 || code === 39) fg = undefined;
      else if (NAMES[code]) fg = NAMES[code];
    }
  }
  return fg;
}
