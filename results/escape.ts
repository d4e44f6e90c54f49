/**
 * Text from a scenario or a result file made safe for a terminal: control characters (C0, DEL,
 * C1) become visible escapes, so a name cannot move the cursor, clear the screen or retitle the
 * window (an OSC `ESC ] 0 ; … BEL`), and a CR or LF inside a name cannot forge a line of output.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same, sparing line feeds.
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function visible(c: string): string {
  return NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** `text` with every control character escaped (`\n`, `\r`, `\e`, `\x07`…): one safe line. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, visible);
}

/** Like {@link escapeControl} but keeps line feeds: a multi-line message stays multi-line. */
export function escapeControlKeepLines(text: string): string {
  return text.replace(CONTROL_BUT_LF, visible);
}

/** A name for a message: escaped, and cut to `max` characters with its full length said. */
export function quoteName(name: string, max = 64): string {
  const safe = escapeControl(name);
  return safe.length <= max ? safe : `${safe.slice(0, max)}… (${name.length} characters)`;
}
