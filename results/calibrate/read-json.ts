/**
 * Reading a measurement file (traces, a RunResult) as JSON, defensively: only regular files, at most
 * {@link MAX_INPUT_BYTES}, and a syntax error located as `file:line:col`.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ScenarioError } from '../errors.js';

/**
 * The largest input read: 512 MiB, V8's limit on one string (2^29 − 24 characters), which
 * `JSON.parse` needs the whole file in. About 1.5 M Zipkin spans as backline writes them.
 */
export const MAX_INPUT_BYTES = 2 ** 29 - 24;

/** Parses the JSON file at `path`; every problem is a located input error (exit 2 in the CLI). */
export function readJsonFile(path: string, limit = MAX_INPUT_BYTES): unknown {
  const fail = (message: string, line = 0, col = 0): never => {
    throw new ScenarioError([{ file: path, line, col, message }]);
  };
  let fd: number;
  try {
    // Non-blocking, so a FIFO is refused by the check below instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'file not found' : `cannot open (${code})`);
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      fail(`not a regular file (${st.isDirectory() ? 'a directory' : 'a device, FIFO or socket'})`);
    if (st.size > limit) fail(`${st.size} bytes is over the ${limit}-byte limit of one input file`);
    if (st.size === 0) fail('empty file: expected JSON traces or a RunResult');
    const buf = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < st.size) {
      const n = readSync(fd, buf, at, st.size - at, null);
      if (n === 0) break;
      at += n;
    }
    text = buf.toString('utf8', 0, at);
  } finally {
    closeSync(fd);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    if (!pos) return fail(`not JSON: ${msg}`);
    const { line, col } = lineCol(text, Number(pos[1]));
    return fail(`not JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, line, col);
  }
}

/** 1-based line and column of character `offset` in `text`. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}
