/**
 * One TCP connection attempt before a run, so an unreachable target fails fast with a clear
 * message instead of a run full of `refused` errors and a result file that means nothing.
 */
import net from 'node:net';
import { TargetUnreachableError } from './errors.js';

/**
 * Resolves when `url`'s host accepts a TCP connection within `timeoutMs`; `address` (one that
 * passed the allow-list check) is dialled instead of resolving the name again.
 */
export function assertReachable(url: URL, address?: string, timeoutMs = 2000): Promise<void> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = address ?? url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const fail = (why: string) => {
      sock.destroy();
      reject(
        new TargetUnreachableError(
          `target ${url.origin} is unreachable: ${why}; nothing was sent or written`,
        ),
      );
    };
    sock.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    sock.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'ECONNREFUSED' ? 'connection refused (is it running?)' : (e.code ?? e.message)),
    );
    sock.once('connect', () => {
      sock.end();
      resolve();
    });
  });
}
