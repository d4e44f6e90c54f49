/**
 * A minimal incremental HTTP/1.1 response parser, for the raw-socket pool: status line and head
 * (kept as text, headers parsed only when asked), then a body delimited by content-length, chunked
 * encoding, or the end of the connection. Body bytes are counted and kept only when asked, up to a
 * limit, so an endless or huge body costs no memory. Bounded head size: a target that never ends
 * its head cannot grow it either.
 */

/** Longest response head accepted (status line and headers). */
export const MAX_HEAD = 64 * 1024;

/** Parser states. */
enum S {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
  Done,
}

/** What went wrong, as a transport cause. */
export type ParseFailure = 'bad_response' | 'body_too_large';

/** Parses one response at a time; `reset()` before the next on the same connection. */
export class ResponseParser {
  status = 0;
  /** The raw head after the status line, latin1. */
  head = '';
  bytes = 0;
  /** Whether the connection must close after this response. */
  close = false;
  failure: ParseFailure | undefined;
  private state = S.Head;
  private pending: Buffer | undefined;
  private left = 0;
  private chunks: Buffer[] | undefined;
  private maxBody = Number.POSITIVE_INFINITY;
  private noBody = false;

  /** Prepares for the next response on this connection. */
  reset(keepBody: boolean, maxBody: number, noBody: boolean): void {
    this.status = 0;
    this.head = '';
    this.bytes = 0;
    this.close = false;
    this.failure = undefined;
    this.state = S.Head;
    this.pending = undefined;
    this.left = 0;
    this.chunks = keepBody ? [] : undefined;
    this.maxBody = maxBody;
    this.noBody = noBody;
  }

  /** True once the whole response was read. */
  get done(): boolean {
    return this.state === S.Done;
  }

  /** True while the body runs until the connection ends. */
  get untilClose(): boolean {
    return this.state === S.UntilClose;
  }

  /** The kept body. */
  body(): Uint8Array {
    return this.chunks ? Buffer.concat(this.chunks) : new Uint8Array(0);
  }

  /** Headers, lower-cased names, repeated ones as arrays (parsed on demand). */
  headers(): Record<string, string | string[]> {
    return parseHeaders(this.head);
  }

  /** The connection ended: completes a body delimited by close, fails anything else. */
  end(): boolean {
    if (this.state === S.UntilClose) {
      this.state = S.Done;
      return true;
    }
    return this.state === S.Done;
  }

  /**
   * Feeds bytes; returns the offset just past the response when it completed within `buf`
   * (bytes after it belong to the next response), -1 when more is needed or it failed (`failure`).
   */
  feed(buf: Buffer): number {
    let i = 0;
    // Offsets returned are into the caller's buffer, after what was pending from the last one.
    let pre = 0;
    if (this.pending) {
      pre = this.pending.length;
      buf = Buffer.concat([this.pending, buf]);
      this.pending = undefined;
    }
    while (i < buf.length || this.state === S.Done) {
      switch (this.state) {
        case S.Head: {
          const end = buf.indexOf('\r\n\r\n', i, 'latin1');
          if (end < 0) return this.wait(buf, i, MAX_HEAD);
          if (!this.parseHead(buf.toString('latin1', i, end))) return -1;
          i = end + 4;
          break;
        }
        case S.Length: {
          const n = Math.min(this.left, buf.length - i);
          if (!this.take(buf, i, n)) return -1;
          i += n;
          this.left -= n;
          if (this.left === 0) this.state = S.Done;
          break;
        }
        case S.ChunkSize: {
          const eol = buf.indexOf('\r\n', i, 'latin1');
          if (eol < 0) return this.wait(buf, i, 1024);
          const size = Number.parseInt(buf.toString('latin1', i, eol).split(';')[0].trim(), 16);
          if (!Number.isFinite(size) || size < 0) return this.fail('bad_response');
          i = eol + 2;
          this.left = size;
          this.state = size === 0 ? S.Trailers : S.ChunkData;
          break;
        }
        case S.ChunkData: {
          const n = Math.min(this.left, buf.length - i);
          if (!this.take(buf, i, n)) return -1;
          i += n;
          this.left -= n;
          if (this.left === 0) this.state = S.ChunkEnd;
          break;
        }
        case S.ChunkEnd: {
          if (buf.length - i < 2) return this.wait(buf, i, 2);
          if (buf[i] !== 13 || buf[i + 1] !== 10) return this.fail('bad_response');
          i += 2;
          this.state = S.ChunkSize;
          break;
        }
        case S.Trailers: {
          const eol = buf.indexOf('\r\n', i, 'latin1');
          if (eol < 0) return this.wait(buf, i, MAX_HEAD);
          this.state = eol === i ? S.Done : S.Trailers;
          i = eol + 2;
          break;
        }
        case S.UntilClose: {
          if (!this.take(buf, i, buf.length - i)) return -1;
          return -1;
        }
        case S.Done:
          return i - pre;
      }
    }
    return -1;
  }

  private wait(buf: Buffer, i: number, limit: number): number {
    if (buf.length - i > limit) return this.fail('bad_response');
    this.pending = buf.subarray(i);
    return -1;
  }

  private fail(why: ParseFailure): number {
    this.failure = why;
    return -1;
  }

  /** Marks the head malformed; false, for `parseHead`. */
  private refuse(): boolean {
    this.failure = 'bad_response';
    return false;
  }

  private take(buf: Buffer, i: number, n: number): boolean {
    this.bytes += n;
    if (this.bytes > this.maxBody) {
      this.fail('body_too_large');
      return false;
    }
    if (this.chunks && n > 0) this.chunks.push(Buffer.from(buf.subarray(i, i + n)));
    return true;
  }

  /** Status line and the headers that frame the body; false (with `failure`) when malformed. */
  private parseHead(text: string): boolean {
    const sl = text.indexOf('\r\n');
    const statusLine = sl < 0 ? text : text.slice(0, sl);
    if (!statusLine.startsWith('HTTP/1.')) return this.refuse();
    const status = Number(statusLine.slice(9, 12));
    if (!(status >= 100 && status <= 999)) return this.refuse();
    // An interim 1xx (not 101) is followed by the real response.
    if (status >= 100 && status < 200 && status !== 101) return true;
    this.status = status;
    this.head = sl < 0 ? '' : text.slice(sl + 2);
    const http10 = statusLine[7] === '0';
    let length = -1;
    let chunked = false;
    let conn = '';
    for (const line of this.head.split('\r\n')) {
      const c0 = line.charCodeAt(0) | 0x20;
      if (c0 !== 0x63 && c0 !== 0x74) continue; // only c… and t… frame the body
      const c = line.indexOf(':');
      const k = line.slice(0, c).trim().toLowerCase();
      if (k === 'content-length') {
        const v = line.slice(c + 1).trim();
        if (!/^\d+$/.test(v) || (length >= 0 && Number(v) !== length)) return this.refuse();
        length = Number(v);
      } else if (k === 'transfer-encoding') chunked = /(^|,)\s*chunked\s*$/i.test(line.slice(c + 1));
      else if (k === 'connection')
        conn = line
          .slice(c + 1)
          .trim()
          .toLowerCase();
    }
    this.close = conn.includes('close') || (http10 && !conn.includes('keep-alive'));
    if (this.noBody || status === 204 || status === 304) this.state = S.Done;
    else if (chunked) this.state = S.ChunkSize;
    else if (length >= 0) {
      this.left = length;
      this.state = length === 0 ? S.Done : S.Length;
    } else {
      this.state = S.UntilClose;
      this.close = true;
    }
    return true;
  }
}

/** Header lines (after the status line) as lower-cased names, repeated ones as arrays. */
export function parseHeaders(head: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const line of head.split('\r\n')) {
    const c = line.indexOf(':');
    if (c <= 0) continue;
    const k = line.slice(0, c).trim().toLowerCase();
    const v = line.slice(c + 1).trim();
    const cur = out[k];
    out[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  return out;
}
