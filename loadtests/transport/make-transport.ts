/**
 * What the closure-built transports (undici, node:http) share: the checks a request passes before
 * it may go anywhere, and the {@link Transport} object made of a callback `request` and `close`.
 * The raw-socket pool is a class and does the same checks in `prepare`/`dispatch`.
 */
import {
  type OutgoingRequest,
  promised,
  type SendOptions,
  type Transport,
  TransportError,
} from './transport.js';
import { checkRequest } from './wire.js';

/**
 * Why `req` cannot be sent at all (`bad_request`: it could become protocol; `aborted`: the
 * transport is closed or the request's signal fired), or undefined when it may go.
 */
export function refusal(req: OutgoingRequest, so: SendOptions, closed: boolean): TransportError | undefined {
  try {
    checkRequest(req);
  } catch (e) {
    return e instanceof TransportError ? e : new TransportError('bad_request', String(e));
  }
  if (closed) return new TransportError('aborted', 'the transport is closed');
  if (so.signal?.aborted) return new TransportError('aborted', 'aborted');
  return undefined;
}

/** A transport of `request` (callback form; `send` is its promise form) and `close`. */
export function makeTransport(request: Transport['request'], close: Transport['close']): Transport {
  return { send: promised(request), request, close };
}
