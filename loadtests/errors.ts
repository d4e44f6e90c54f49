/**
 * Errors of real load runs. They extend the shared {@link BacklineError} so the CLI maps them to
 * exit codes: a refused target is bad input (exit 2), an unreachable one a failed run (exit 3).
 */
import { BacklineError } from '../results/errors.js';

/** The target is not on the allow-list; nothing was sent. */
export class TargetRefusedError extends BacklineError {
  readonly host: string;
  constructor(host: string, message: string) {
    super('E_USAGE', message);
    this.host = host;
  }
}

/** The target did not answer a connection attempt; nothing was measured or written. */
export class TargetUnreachableError extends BacklineError {
  constructor(message: string) {
    super('E_RUN', message);
  }
}

/** An external tool (k6) is missing or failed. */
export class ToolError extends BacklineError {
  constructor(message: string) {
    super('E_RUN', message);
  }
}
