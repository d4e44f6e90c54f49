/**
 * Writing an output never destroys what is not ours: a regular file or new path is replaced
 * atomically; a symlink is followed (the link stays); a FIFO or character device is written
 * through (it stays what it was); a directory or socket is refused with exit 2.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAtomic } from '../../cli/write-file.js';
import { RunError, UsageError } from '../../results/errors.js';
import { backline } from '../cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-write-'));
const readers: ChildProcess[] = [];
afterAll(() => {
  // A reader still blocked in open(2) means the write never came: end it with the test.
  for (const r of readers) if (r.exitCode === null) r.kill();
  rmSync(tmp, { recursive: true, force: true });
});
const isRoot = process.getuid?.() === 0;

/** Reads a FIFO in a child process (`cat`), so this process can block in open(2) for writing. */
function readFifo(path: string): Promise<string> {
  return new Promise((resolve) => {
    const cat = spawn('cat', [path]);
    readers.push(cat);
    let out = '';
    cat.stdout.on('data', (c) => (out += c));
    cat.on('close', () => resolve(out));
  });
}

describe('writing a file', () => {
  it('replaces a regular file atomically and leaves no temporary file', () => {
    const dir = join(tmp, 'regular');
    mkdirSync(dir);
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old');
    writeAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('follows a symlink: the target gets the text and the link stays a link', () => {
    const target = join(tmp, 'target.json');
    const link = join(tmp, 'link.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    writeAtomic(link, 'through the link');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('through the link');
  });

  it('writes through a FIFO instead of renaming a regular file over it', async () => {
    const fifo = join(tmp, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const read = readFifo(fifo);
    writeAtomic(fifo, 'spans\n');
    expect(await read).toBe('spans\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it.skipIf(!isRoot)('writes through a character device, which stays a device (mknod, root only)', () => {
    // Major 1 minor 3 is /dev/null; 1/7 is /dev/full, whose ENOSPC must surface as a run failure.
    const nul = join(tmp, 'null');
    const full = join(tmp, 'full');
    expect(spawnSync('mknod', [nul, 'c', '1', '3']).status).toBe(0);
    expect(spawnSync('mknod', [full, 'c', '1', '7']).status).toBe(0);
    writeAtomic(nul, 'discarded');
    expect(lstatSync(nul).isCharacterDevice()).toBe(true);
    expect(() => writeAtomic(full, 'x'.repeat(10_000))).toThrow(RunError);
    expect(() => writeAtomic(full, 'x')).toThrow(/ENOSPC/);
    expect(lstatSync(full).isCharacterDevice()).toBe(true);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a directory and a socket with a usage error (exit 2)', async () => {
    const dir = join(tmp, 'a-dir');
    mkdirSync(dir);
    expect(() => writeAtomic(dir, 'x')).toThrow(UsageError);
    expect(() => writeAtomic(dir, 'x')).toThrow(/it is a directory/);
    const sock = join(tmp, 'sock');
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      expect(() => writeAtomic(sock, 'x')).toThrow(/refusing to write .*sock: it is a socket/);
      expect(lstatSync(sock).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  it('sim --traces into a FIFO and onto /dev/stdout keeps both what they were', async () => {
    const fifo = join(tmp, 'traces-pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const read = readFifo(fifo);
    const args = ['sim', 'fanout-tail', '--no-history', '--trace-sample', '0.1%', '--json'];
    const cli = spawn(process.execPath, ['dist/cli/main.js', ...args, '--traces', fifo], {
      env: { ...process.env, CI: 'true' },
      stdio: 'ignore',
    });
    const code = await new Promise((r) => cli.on('close', r));
    expect(code).toBe(0);
    expect(JSON.parse(await read).length).toBeGreaterThan(100);
    expect(lstatSync(fifo).isFIFO()).toBe(true);

    const r = backline([...args.filter((a) => a !== '--json'), '--traces', '/dev/stdout']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[\{"traceId"/);
  }, 60_000);
});
