/**
 * Output held back while the dashboard keeps the terminal: a stream for functions that write (the
 * reports' fallback, the history's warning, the verdict's reasons), whose text is then printed under
 * the last frame and counted in the rows that frame leaves free.
 */

/** A writable that keeps what is written; `text` is all of it so far. */
export interface HeldOutput {
  stream: NodeJS.WritableStream;
  readonly text: string;
}

/** A new, empty {@link HeldOutput}. */
export function heldOutput(): HeldOutput {
  let text = '';
  const stream = {
    write(chunk: string | Uint8Array) {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  } as NodeJS.WritableStream;
  return {
    stream,
    get text() {
      return text;
    },
  };
}
