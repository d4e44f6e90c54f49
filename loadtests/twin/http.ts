/**
 * The twin's HTTP plumbing: listening on 127.0.0.1 with errors a user can act on, closing a server
 * with its kept-alive connections, answering with a cause header, and timer sleeps.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../../results/errors.js';

/** Resolves after `seconds` (at once when not positive: no timer, no tick of lateness). */
export const sleep = (seconds: number): Promise<void> =>
  seconds > 0 ? new Promise((r) => setTimeout(r, seconds * 1000)) : Promise.resolve();

/** Answers once (never after the connection went away), naming the cause of a failure in a header. */
export function send(res: http.ServerResponse, status: number, body: string, cause?: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  if (cause) res.setHeader('x-backline-cause', cause);
  res.end(body);
}

/** Status of a request whose connection closed before it was answered (nginx's convention). */
export const CLOSED_STATUS = 499;

/** Status and cause of a closed response: the cause header {@link send} set, `ok` for a success. */
export function outcomeOf(res: http.ServerResponse): { status: number; cause: string } {
  if (!res.writableFinished) return { status: CLOSED_STATUS, cause: 'closed' };
  const status = res.statusCode;
  const header = res.getHeader('x-backline-cause');
  return { status, cause: status < 400 ? 'ok' : typeof header === 'string' ? header : `status_${status}` };
}

/**
 * Listens on 127.0.0.1:`port` (0 = any free port) and resolves with the port. A port outside
 * 0..65535, taken, or not ours to bind is a {@link UsageError} saying so.
 */
export async function listen(server: http.Server, port: number): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port expects a port number from 0 to 65535, got \`${port}\``);
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE')
        reject(
          new UsageError(
            `port ${port} on 127.0.0.1 is already in use: choose another --port, or omit it for any free port`,
          ),
        );
      else if (e.code === 'EACCES')
        reject(
          new UsageError(
            `port ${port} on 127.0.0.1 needs privileges this process lacks: choose a port above 1023`,
          ),
        );
      else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
  return (server.address() as AddressInfo).port;
}

/** Closes `server` and its connections; resolves once it no longer listens. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
