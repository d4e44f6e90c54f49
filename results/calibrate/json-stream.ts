/**
 * An incremental JSON reader for files too large to parse at once: it walks the outer containers
 * (checking their grammar) and hands each value below them, once complete, to `JSON.parse` on its
 * own. Inside a value only brackets and quotes matter: string contents are skipped with `indexOf`
 * (native, not byte by byte), and lines are counted per chunk the same way, only to locate errors. The caller says which containers to walk into; memory is then one value
 * (a span, a trace) rather than the whole document. Errors are located as 1-based line and column
 * (columns count bytes).
 */

/** Where a value sits: object keys and array indexes from the top-level value down. */
export type JsonPath = readonly (string | number)[];

/** What the reader asks of its caller. */
export interface JsonVisitor {
  /** A container starts at `path`: true walks into it, false parses it whole (one `onValue`). */
  enter(path: JsonPath, kind: 'array' | 'object'): boolean;
  /** A complete value at `path` (one not walked into). */
  onValue(path: JsonPath, value: unknown): void;
  /** A container walked into has closed. */
  leave(path: JsonPath, kind: 'array' | 'object'): void;
}

/** A syntax error at a 1-based line and column. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

interface Frame {
  kind: 'array' | 'object';
  /** first: value/key or close; need: value/key (after a comma); colon; after: comma or close. */
  state: 'first' | 'need' | 'colon' | 'value' | 'after';
  key: string | number;
  index: number;
}

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;
/** Bytes that end a number, `true`, `false` or `null`. */
const ENDS_PRIMITIVE = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d, 0x2c, 0x5d, 0x7d, 0x3a]) ENDS_PRIMITIVE[c] = 1;

/** Bytes that matter inside a captured value: quotes and brackets. */
const STRUCTURE = new Uint8Array(256);
for (const c of [0x22, 0x7b, 0x7d, 0x5b, 0x5d]) STRUCTURE[c] = 1;

/** How many backslashes run back from just before `end`, not past `from`. */
function backslashesBefore(buf: Buffer, end: number, from: number): number {
  let k = end - 1;
  while (k >= from && buf[k] === 0x5c) k--;
  return end - 1 - k;
}

/** The largest single value parsed: 256 MiB. */
export const MAX_VALUE_BYTES = 2 ** 28;

/** Feeds chunks of one JSON text (or several, whitespace-separated: NDJSON) to a {@link JsonVisitor}. */
export class JsonStreamReader {
  private readonly stack: Frame[] = [];
  private line = 1;
  /** Absolute byte offset of the current line's first byte, and of the current chunk. */
  private lineStart = 0;
  private base = 0;
  /** The value being captured: its bytes so far, where it began, and the scan state. */
  private parts: Buffer[] | undefined;
  private capKind: 'container' | 'string' | 'primitive' = 'container';
  private depth = 0;
  private inStr = false;
  private esc = false;
  /** Offsets of the newlines in the chunk being read (ascending). */
  private nl: number[] = [];
  private capLine = 0;
  private capCol = 0;
  private capIsKey = false;
  private capBytes = 0;

  /** `maxValue`: the most bytes one value handed to `JSON.parse` may have (memory is bounded by it). */
  constructor(
    private readonly visitor: JsonVisitor,
    private readonly maxValue = MAX_VALUE_BYTES,
  ) {}

  /** Reads the next chunk. */
  feed(buf: Buffer): void {
    const n = buf.length;
    this.nl = [];
    for (let k = buf.indexOf(0x0a); k >= 0; k = buf.indexOf(0x0a, k + 1)) this.nl.push(k);
    let i = 0;
    while (i < n) {
      if (this.parts) {
        const end = this.scanCapture(buf, i);
        if (end < 0) {
          this.parts.push(buf.subarray(i));
          this.capBytes += n - i;
          if (this.capBytes > this.maxValue)
            throw new JsonSyntaxError(
              `a value over ${this.maxValue} bytes (a span, a trace or a RunResult member is far smaller)`,
              this.capLine,
              this.capCol,
            );
          break;
        }
        this.parts.push(buf.subarray(i, end));
        this.finishCapture();
        i = end;
        continue;
      }
      const c = buf[i];
      if (WS[c]) {
        i++;
        continue;
      }
      this.token(c, i);
      // A token that opens a capture leaves `i` on its first byte, scanned by the capture itself.
      if (!this.parts) i++;
    }
    this.base += n;
    if (this.nl.length > 0) {
      this.line += this.nl.length;
      this.lineStart = this.base - n + this.nl[this.nl.length - 1] + 1;
    }
    this.nl = [];
  }

  /** The input has ended: anything open is an error. */
  end(): void {
    if (this.parts) {
      if (this.capKind === 'primitive') this.finishCapture();
      else this.parseCaptured(); // throws its own located error, or the one below
    }
    if (this.parts || this.stack.length > 0) this.fail('not JSON: unexpected end of file', 0);
  }

  /** 1-based line and column of byte `i` of the chunk being read. */
  private at(i: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.nl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.nl[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    const start = lo > 0 ? this.base + this.nl[lo - 1] + 1 : this.lineStart;
    return { line: this.line + lo, col: this.base + i - start + 1 };
  }

  private fail(message: string, i: number): never {
    const { line, col } = this.at(i);
    throw new JsonSyntaxError(message, line, col);
  }

  private path(): (string | number)[] {
    return this.stack.map((f) => f.key);
  }

  /** One structural byte (or the start of a value) outside any capture. */
  private token(c: number, i: number): void {
    const top = this.stack[this.stack.length - 1];
    const ch = String.fromCharCode(c);
    if (top && (top.state === 'after' || top.state === 'colon')) {
      if (top.state === 'colon') {
        if (c !== 0x3a) this.fail(`not JSON: expected ':' but found '${ch}'`, i);
        top.state = 'value';
      } else if (c === 0x2c) top.state = 'need';
      else if ((c === 0x5d && top.kind === 'array') || (c === 0x7d && top.kind === 'object')) this.close();
      else this.fail(`not JSON: expected ',' or '${top.kind === 'array' ? ']' : '}'}' but found '${ch}'`, i);
      return;
    }
    if (top && top.state === 'first' && c === (top.kind === 'array' ? 0x5d : 0x7d)) {
      this.close();
      return;
    }
    if (top?.kind === 'object' && top.state !== 'value') {
      // A key.
      if (c !== 0x22) this.fail(`not JSON: expected a property name but found '${ch}'`, i);
      this.startCapture('string', i, true);
      return;
    }
    // A value: in an array, after a key, or at the top level.
    if (top?.kind === 'array') top.key = top.index++;
    if (c === 0x5b || c === 0x7b) {
      const kind = c === 0x5b ? 'array' : 'object';
      if (this.visitor.enter(this.path(), kind)) {
        if (top) top.state = 'after';
        this.stack.push({ kind, state: 'first', key: '', index: 0 });
        return;
      }
      this.startCapture('container', i, false);
    } else if (c === 0x22) this.startCapture('string', i, false);
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e)
      this.startCapture('primitive', i, false);
    else this.fail(`not JSON: unexpected '${ch}'`, i);
  }

  private close(): void {
    const f = this.stack[this.stack.length - 1];
    this.visitor.leave(this.path().slice(0, -1), f.kind);
    this.stack.pop();
  }

  private startCapture(kind: 'container' | 'string' | 'primitive', i: number, isKey: boolean): void {
    this.parts = [];
    this.capBytes = 0;
    this.capKind = kind;
    this.capIsKey = isKey;
    this.depth = 0;
    this.inStr = false;
    this.esc = false;
    const { line, col } = this.at(i);
    this.capLine = line;
    this.capCol = col;
  }

  /** Scans a captured value from `i`: the offset just past its end, or −1 when the chunk ends first. */
  private scanCapture(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.capKind === 'primitive') {
      for (; i < n; i++) if (ENDS_PRIMITIVE[buf[i]]) return i;
      return -1;
    }
    let { depth, inStr } = this;
    const str = this.capKind === 'string';
    while (i < n) {
      if (inStr) {
        // The chunk before ended on an unpaired backslash: this byte is escaped.
        if (this.esc) {
          this.esc = false;
          i++;
          continue;
        }
        const from = i;
        const q = buf.indexOf(0x22, from);
        if (q < 0) {
          this.esc = backslashesBefore(buf, n, from) % 2 === 1;
          i = n;
          break;
        }
        i = q + 1;
        // A quote after an odd run of backslashes is part of the string.
        if (backslashesBefore(buf, q, from) % 2 === 1) continue;
        inStr = false;
        if (str) return i;
        continue;
      }
      const c = buf[i++];
      if (!STRUCTURE[c]) continue;
      if (c === 0x22) inStr = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (--depth === 0) return i;
    }
    this.depth = depth;
    this.inStr = inStr;
    return -1;
  }

  private finishCapture(): void {
    const value = this.parseCaptured();
    const top = this.stack[this.stack.length - 1];
    if (this.capIsKey && top) {
      top.key = value as string;
      top.state = 'colon';
      return;
    }
    this.visitor.onValue(this.path(), value);
    if (top) top.state = 'after';
  }

  /** `JSON.parse` of the captured bytes; its error located in the file. */
  private parseCaptured(): unknown {
    const parts = this.parts ?? [];
    this.parts = undefined;
    const text = (parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8');
    try {
      return JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const at = pos ? lineCol(text, Number(pos[1])) : { line: 1, col: 1 };
      throw new JsonSyntaxError(
        `not JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`,
        this.capLine + at.line - 1,
        at.line === 1 ? this.capCol + at.col - 1 : at.col,
      );
    }
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
