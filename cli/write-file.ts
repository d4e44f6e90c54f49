/**
 * Writing one output file without destroying what is not ours. A regular file or a new path is
 * replaced atomically (temporary file beside it, a write loop that notices a short write, fsync,
 * rename), so no reader sees half a file. Anything else is never renamed over:
 *
 * - a symlink is followed: its target gets the treatment its own type calls for (the link stays);
 * - a character device or a FIFO is written through with plain writes, as a shell's `>` would, so
 *   `--traces /dev/stdout` or a named pipe works and `/dev/full` reports ENOSPC and stays a device
 *   (`/dev/stdout`, `/dev/stderr` and `/dev/fd/N` are written to that descriptor, whatever it is);
 * - a directory, socket or block device is refused ({@link UsageError}, exit 2).
 */
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RunError, UsageError } from '../results/errors.js';

/** What a path is, as far as writing it goes. */
type Kind = 'new' | 'regular' | 'stream' | 'refused';

function kindOf(st: Stats | undefined): Kind {
  if (st === undefined) return 'new';
  if (st.isFile()) return 'regular';
  if (st.isCharacterDevice() || st.isFIFO()) return 'stream';
  return 'refused';
}

function describe(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function statOrUndefined(stat: () => Stats): Stats | undefined {
  try {
    return stat();
  } catch (err) {
    // ENOTDIR: a parent is a file, so nothing is there either (the folder check says why).
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Writes all of `bytes`: write(2) may write less than asked when the disk fills up. */
function writeAll(fd: number, bytes: Buffer): void {
  for (let off = 0; off < bytes.length; ) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (err) {
      // Node leaves its own stdio pipes and sockets non-blocking: wait for the reader, then retry.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** The descriptor `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` or `/proc/self/fd/N` names. */
function fdAlias(path: string): number | undefined {
  if (path === '/dev/stdout') return 1;
  if (path === '/dev/stderr') return 2;
  const m = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path);
  return m ? Number(m[1]) : undefined;
}

function replaceRegular(path: string, bytes: Buffer): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    writeAll(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

function writeThrough(path: string, bytes: Buffer): void {
  // No O_CREAT race to worry about: the path exists and is not a regular file.
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** The folder and its state a new or regular file at `path` is written in (its temporary file too). */
function folderProblem(path: string): string | undefined {
  const dir = dirname(path);
  const st = statOrUndefined(() => statSync(dir));
  if (st === undefined) return `folder ${dir} does not exist`;
  if (!st.isDirectory()) return `${dir} is not a folder`;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return `folder ${dir} is not writable`;
  }
  return undefined;
}

/**
 * Checks, before anything starts, that {@link writeFileSafely} could write `path` later (a command
 * that writes its file only when it stops must not find out then): a {@link UsageError} (exit 2)
 * when the path is refused, its folder is missing, not a folder or not writable, or a device or FIFO
 * cannot be opened for writing. Nothing is created.
 */
export function checkWritable(path: string): void {
  if (fdAlias(path) !== undefined) return;
  const link = statOrUndefined(() => lstatSync(path));
  const st = link?.isSymbolicLink() ? statOrUndefined(() => statSync(path)) : link;
  const kind = kindOf(st);
  let problem: string | undefined;
  if (kind === 'refused') problem = `it is ${describe(st as Stats)}`;
  else if (kind === 'stream') {
    try {
      accessSync(path, constants.W_OK);
    } catch {
      problem = 'it is not writable';
    }
  } else if (kind === 'regular' && link?.isSymbolicLink()) problem = folderProblem(realpathSync(path));
  // A dangling symlink: its target is created where the link points.
  else if (kind === 'new' && link?.isSymbolicLink())
    problem = folderProblem(resolve(dirname(path), readlinkSync(path)));
  else problem = folderProblem(path);
  if (problem !== undefined) throw new UsageError(`cannot write ${path}: ${problem}`);
}

/**
 * Writes `text` to `path` by the rules above. Errno failures (a full disk, a read-only folder)
 * are thrown as they come; a path that must not be written is a {@link UsageError}.
 */
export function writeFileSafely(path: string, text: string | Buffer): void {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  // Our own descriptors are written directly: reopening one fails when it is a socket.
  const fd = fdAlias(path);
  if (fd !== undefined) {
    writeAll(fd, bytes);
    return;
  }
  const link = statOrUndefined(() => lstatSync(path));
  // Through a symlink, what counts is what it points to (stat follows it; undefined = dangling).
  const st = link?.isSymbolicLink() ? statOrUndefined(() => statSync(path)) : link;
  switch (kindOf(st)) {
    case 'new':
      // A dangling symlink: open() creates its target and leaves the link in place.
      if (link?.isSymbolicLink()) writeThrough(path, bytes);
      else replaceRegular(path, bytes);
      return;
    case 'regular':
      replaceRegular(link?.isSymbolicLink() ? realpathSync(path) : path, bytes);
      return;
    case 'stream':
      writeThrough(path, bytes);
      return;
    case 'refused':
      throw new UsageError(`refusing to write ${path}: it is ${describe(st as Stats)}`);
  }
}

/**
 * {@link writeFileSafely} for a command's output: an I/O failure (a full disk) is a
 * {@link RunError} (exit 3) and leaves no temporary file behind; a refused path stays a
 * {@link UsageError} (exit 2).
 */
export function writeAtomic(path: string, text: string): void {
  try {
    writeFileSafely(path, text);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new RunError(`cannot write ${path}: ${(err as Error).message}`);
  }
}
