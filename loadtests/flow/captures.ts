/**
 * Captures: values taken from a response into the virtual user's variables (`{{token}}` in later
 * steps). A capture that finds nothing fails the journey with cause `capture:<name>`, so a missing
 * token is never sent as the literal text `{{token}}` or as an empty string.
 */
import type { Capture } from '../../scenarios/load-assert.js';
import type { ResponseView } from './response.js';

/** The captured text, or undefined when the response does not hold it. */
export function captured(c: Capture, r: ResponseView, regex?: RegExp): string | undefined {
  switch (c.from) {
    case 'status':
      return String(r.status);
    case 'header':
      return r.header(c.header);
    case 'regex':
      return regex?.exec(r.body())?.[1];
    case 'json': {
      const at = r.at(c.path);
      if (!at.found || at.value === null || at.value === undefined) return undefined;
      return typeof at.value === 'object' ? JSON.stringify(at.value) : String(at.value);
    }
  }
}

/** Whether a capture needs the body kept. */
export function captureNeedsBody(c: Capture): boolean {
  return c.from === 'json' || c.from === 'regex';
}
