/**
 * The raw-socket pool's response parser on hostile and split input: every split point of a chunked
 * response, two responses in one buffer, a head that never ends, malformed framing.
 */
import { describe, expect, it } from 'vitest';
import { MAX_HEAD, ResponseParser } from '../../loadtests/transport/response-parser.js';

const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n3;ext=1\r\nabc\r\n5\r\ndefgh\r\n0\r\nx-trailer: 1\r\n\r\n';

function parse(parts: Buffer[], keep = true): { p: ResponseParser; end: number } {
  const p = new ResponseParser();
  p.reset(keep, 1 << 20, false);
  let end = -1;
  for (const b of parts) end = p.feed(b);
  return { p, end };
}

describe('ResponseParser', () => {
  it('parses a chunked body with extensions and trailers, split at every byte', () => {
    const all = Buffer.from(CHUNKED, 'latin1');
    for (let i = 1; i < all.length; i++) {
      const { p, end } = parse([all.subarray(0, i), all.subarray(i)]);
      expect(end).toBe(all.length - i);
      expect(Buffer.from(p.body()).toString()).toBe('abcdefgh');
      expect(p.bytes).toBe(8);
    }
    const { p } = parse([all]);
    expect(p.headers()['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(p.status).toBe(200);
    expect(p.close).toBe(false);
  });

  it('returns the offset of the next response when two arrive in one buffer', () => {
    const one = 'HTTP/1.1 204 No Content\r\n\r\n';
    const { p, end } = parse([Buffer.from(one + one)]);
    expect(p.status).toBe(204);
    expect(end).toBe(one.length);
  });

  it('skips an interim 100 Continue, honours HTTP/1.0 and connection: close', () => {
    const r = parse([
      Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok'),
    ]);
    expect(r.p.status).toBe(200);
    expect(r.p.close).toBe(true);
    const c = parse([Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 0\r\n\r\n')]);
    expect(c.p.close).toBe(true);
    expect(c.p.done).toBe(true);
  });

  it('refuses a head longer than MAX_HEAD, bad chunk sizes and conflicting lengths', () => {
    const huge = parse([Buffer.from(`HTTP/1.1 200 OK\r\nx: ${'a'.repeat(MAX_HEAD + 10)}`)]);
    expect(huge.p.failure).toBe('bad_response');
    expect(
      parse([Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n')]).p.failure,
    ).toBe('bad_response');
    expect(
      parse([Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n')]).p.failure,
    ).toBe('bad_response');
    expect(parse([Buffer.from('SMTP 220 hello\r\n\r\n')]).p.failure).toBe('bad_response');
  });

  it('counts but keeps nothing unless asked, and stops at the body limit', () => {
    const body = 'HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n0123456789';
    const { p } = parse([Buffer.from(body)], false);
    expect(p.bytes).toBe(10);
    expect(p.body().length).toBe(0);
    const q = new ResponseParser();
    q.reset(false, 5, false);
    expect(q.feed(Buffer.from(body))).toBe(-1);
    expect(q.failure).toBe('body_too_large');
  });

  it('reads a body until the connection ends when there is no length', () => {
    const { p, end } = parse([Buffer.from('HTTP/1.1 200 OK\r\n\r\nabc'), Buffer.from('def')]);
    expect(end).toBe(-1);
    expect(p.end()).toBe(true);
    expect(Buffer.from(p.body()).toString()).toBe('abcdef');
  });
});
