/**
 * Files a scenario names or is: only regular files of bounded size are read. A character device
 * (`/dev/zero`, `/dev/urandom`), a FIFO or a directory would be read forever or not at all, and a
 * huge file would exhaust memory before one line is checked.
 */
import { statSync } from 'node:fs';
import { ValueError } from './value-error.js';

/** The largest scenario file read. */
export const MAX_SCENARIO_BYTES = 16 * 2 ** 20;
/** The largest replay CSV read (about 20 M timestamps). */
export const MAX_REPLAY_BYTES = 256 * 2 ** 20;

function mib(bytes: number): string {
  return `${Number((bytes / 2 ** 20).toPrecision(3))} MiB`;
}

/**
 * Throws a {@link ValueError} unless `path` is a regular file of at most `limit` bytes; `what`
 * names it in the message (`scenario file`, `replay file`). A missing file is left to the reader.
 */
export function checkInputFile(path: string, what: string, limit: number): void {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (st.isDirectory()) throw new ValueError(`${what} ${path} is a directory, not a file`);
  if (!st.isFile()) {
    const kind = st.isCharacterDevice()
      ? 'a character device'
      : st.isFIFO()
        ? 'a FIFO'
        : st.isSocket()
          ? 'a socket'
          : 'a block device';
    throw new ValueError(`${what} ${path} is ${kind}, not a regular file`);
  }
  if (st.size > limit) throw new ValueError(`${what} ${path} is ${mib(st.size)}; the limit is ${mib(limit)}`);
}
