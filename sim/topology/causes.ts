/**
 * Why a request failed, as a code in the frames' `cause` column (0 = ok) and as a name in results
 * (`errors` of a journey). The names are part of the RunResult; the order fixes the codes.
 */

/** Failure causes, indexed by code. */
export const CAUSES = [
  'ok',
  'rejected',
  'timeout',
  'error',
  'crash',
  'unavailable',
  'breaker_open',
  'deadline',
  'stale_endpoint',
] as const;

/** A full waiting room turned the request away (load shedding). */
export const REJECTED = 1;
/** The caller stopped waiting (a per-call `timeout`). */
export const TIMEOUT = 2;
/** The service answered an error (an `errors` fault). */
export const ERROR = 3;
/** The replica died while holding or queueing the request, or was down when it arrived. */
export const CRASH = 4;
/** No routable replica, or content with no source. */
export const UNAVAILABLE = 5;
/** The callee's breaker was open: the caller failed the call fast without sending it. */
export const BREAKER = 6;
/** The end-to-end deadline passed. */
export const DEADLINE = 7;
/** Connection refused by a replica the caller found through discovery after it had gone (`discovery.ts`). */
export const STALE_ENDPOINT = 8;
