/**
 * An incremental JSON reader for files too large to parse at once: it walks the outer containers
 * byte by byte (checking their grammar) and hands each value below them, once complete, to
 * `JSON.parse` on its own. The caller says which containers to walk into; memory is then one value
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
        if (c === 0x0a) this.newline(i);
        i++;
        continue;
      }
      this.token(c, i);
      // A token that opens a capture leaves `i` on its first byte, scanned by the capture itself.
      if (!this.parts) i++;
    }
    this.base += n;
  }

  /** The input has ended: anything open is an error. */
  end(): void {
    if (this.parts) {
      if (this.capKind === 'primitive') this.finishCapture();
      else this.parseCaptured(); // throws its own located error, or the one below
    }
    if (this.parts || this.stack.length > 0) this.fail('not JSON: unexpected end of file', 0);
  }

  private newline(i: number): void {
    this.line++;
    this.lineStart = this.base + i + 1;
  }

  private fail(message: string, i: number): never {
    throw new JsonSyntaxError(message, this.line, this.base + i - this.lineStart + 1);
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
    this.capLine = this.line;
    this.capCol = this.base + i - this.lineStart + 1;
  }

  /** Scans a captured value from `i`: the offset just past its end, or −1 when the chunk ends first. */
  private scanCapture(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.capKind === 'primitive') {
      for (; i < n; i++) if (ENDS_PRIMITIVE[buf[i]]) return i;
      return -1;
    }
    let { depth, inStr, esc } = this;
    const str = this.capKind === 'string';
    for (; i < n; i++) {
      const c = buf[i];
      if (inStr) {
        if (esc) esc = false;
        else if (c === 0x5c) esc = true;
        else if (c === 0x22) {
          inStr = false;
          if (str) return i + 1;
        } else if (c === 0x0a) this.newline(i);
        continue;
      }
      if (c === 0x22) inStr = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) return i + 1;
      } else if (c === 0x0a) this.newline(i);
    }
    this.depth = depth;
    this.inStr = inStr;
    this.esc = esc;
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
