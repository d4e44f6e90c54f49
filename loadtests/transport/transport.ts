/**
 * The seam between what a virtual user does (flows: steps, captures, checks, think times) and how
 * bytes reach the target (the open-model transport, worker threads). Flows only ever see this
 * interface; the transport behind it may be node:http, undici or raw sockets.
 */

/** One request as a driver sends it: rendered, validated (no CR, LF or NUL anywhere), encoded. */
export interface OutgoingRequest {
  method: string;
  /** Path and query, already percent-encoded (RFC 3986), starting with `/`. */
  path: string;
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  body?: string | Uint8Array;
}

/** What came back. */
export interface IncomingResponse {
  status: number;
  /** Header names lower-cased; a repeated header (`set-cookie`) is an array. */
  headers: Record<string, string | string[]>;
  /** The body, only when asked for with {@link SendOptions.keepBody}. */
  body?: Uint8Array;
  /** Body bytes received, counted whether kept or not. */
  bytes: number;
  /** `performance.now()` (ms) when the request was written to a socket: the actual send. */
  sentAt: number;
  /** `performance.now()` (ms) when the last body byte arrived. */
  endedAt: number;
}

/** Per-request limits. The deadline covers connect, headers and the whole body. */
export interface SendOptions {
  keepBody: boolean;
  /** A body longer than this fails with cause `body_too_large` (counted, not kept). */
  maxBodyBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Why a request failed, as a stable cause (`timeout`, `reset`, `refused`, `bad_request`,
 * `body_too_large`, `aborted`…): the collector counts errors by this string.
 */
export class TransportError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Called once per request: a {@link TransportError}, or null and the response. */
export type SendCallback = (err: TransportError | null, res: IncomingResponse | null) => void;

/**
 * A connection pool to one origin. `send` rejects only with {@link TransportError}; `request` is
 * the same without a promise, for callers that send many requests per journey (flows): a promise,
 * its closures and microtasks per request cost flows 40 % of their requests/s against nginx.
 */
export interface Transport {
  send(req: OutgoingRequest, opts: SendOptions): Promise<IncomingResponse>;
  /** Sends `req`; `done` runs once, possibly synchronously (a refused request, a full queue). */
  request(req: OutgoingRequest, opts: SendOptions, done: SendCallback): void;
  /** Aborts everything in flight and closes every socket. */
  close(): Promise<void>;
}

/** `send` of a transport, in terms of its callback `request`. */
export function promised(
  request: (req: OutgoingRequest, opts: SendOptions, done: SendCallback) => void,
): (req: OutgoingRequest, opts: SendOptions) => Promise<IncomingResponse> {
  return (req, opts) =>
    new Promise((resolve, reject) =>
      request(req, opts, (err, res) => (err || !res ? reject(err) : resolve(res))),
    );
}
