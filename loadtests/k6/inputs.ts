/**
 * The files `backline merge` reads: arguments are files, directories (their `.ndjson`, `.json`
 * and `.gz` files) or globs (`*` and `?` in any path part, quoted so the shell leaves them); only regular files are read, a
 * gzip stream (by its magic bytes, whatever the name) is gunzipped with a bounded output, and the
 * content decides what a file is. Every refusal is a {@link UsageError} naming the file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../../results/errors.js';

/** Largest input after gunzip (1 GiB): a bigger or bomb-like stream is refused, not read. */
export const MAX_INPUT_BYTES = 1 << 30;

const INPUT_NAME = /\.(ndjson|jsonl|json)(\.gz)?$|\.gz$/;

const WILD = /[*?]/;

/** Paths matching `pattern`, whose parts may hold `*` and `?` (not `**`), sorted per level. */
function glob(pattern: string): string[] {
  const parts = pattern.split(sep);
  let paths = [parts[0] === '' ? sep : parts[0]];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    if (!WILD.test(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = globRegex(part);
    paths = paths.flatMap((p) => {
      try {
        return readdirSync(p)
          .filter((n) => re.test(n))
          .sort()
          .map((n) => join(p, n));
      } catch {
        return [];
      }
    });
  }
  return paths.filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

function globRegex(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The files named by `args`, in argument order, each directory and glob sorted by name. */
export function expandInputs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (WILD.test(arg)) {
      const files = glob(arg.startsWith(sep) ? arg : `.${sep}${arg}`);
      if (files.length === 0) throw new UsageError(`${arg}: no file matches`);
      out.push(...files);
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(arg);
    } catch (e) {
      throw new UsageError(`${arg}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (st.isDirectory()) {
      const names = listDir(arg, arg).filter((n) => INPUT_NAME.test(n));
      if (names.length === 0)
        throw new UsageError(`${arg}: directory holds no .ndjson, .json or .gz file to merge`);
      out.push(...names.map((n) => join(arg, n)));
    } else out.push(arg);
  }
  return out;
}

function listDir(dir: string, arg: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (e) {
    throw new UsageError(`${arg}: cannot list ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The text of `file`: a regular file, gunzipped when it starts with the gzip magic bytes. */
export function readInput(file: string): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!st.isFile()) throw new UsageError(`${file}: not a regular file`);
  if (st.size > MAX_INPUT_BYTES) throw new UsageError(`${file}: larger than ${MAX_INPUT_BYTES} bytes`);
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf, { maxOutputLength: MAX_INPUT_BYTES });
    } catch (e) {
      throw new UsageError(`${file}: not a readable gzip stream (${(e as Error).message})`);
    }
  } else if (file.endsWith('.gz')) throw new UsageError(`${file}: named .gz but not gzip data`);
  const text = buf.toString('utf8');
  if (text.trim() === '') throw new UsageError(`${file}: empty`);
  return text;
}
