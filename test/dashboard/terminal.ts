/**
 * A fake terminal for mounting the live dashboards in tests: a stdout that records what Ink
 * writes, and a TTY stdin that keys can be typed into (as ink-testing-library does).
 */
import { EventEmitter } from 'node:events';

/** A terminal `columns` × `rows` that records every write in `frames`. */
export function fakeStdout(columns = 80, rows = 24) {
  return Object.assign(new EventEmitter(), {
    columns,
    rows,
    frames: [] as string[],
    write(s: string) {
      this.frames.push(s);
      return true;
    },
  });
}

/** A TTY stdin: `type('q')` delivers a key to Ink's `useInput`. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  type(key: string): void {
    this.data = key;
    this.emit('readable');
    this.emit('data', key);
  }
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}
