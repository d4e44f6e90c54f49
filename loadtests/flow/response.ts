/**
 * A response as checks and captures read it: the body decoded and parsed at most once, only when a
 * check or capture asks for it.
 */
import type { JsonPath } from '../../scenarios/load-assert.js';
import type { IncomingResponse } from '../transport/transport.js';

const NOT_JSON = Symbol('not json');

/** Lazy views of one response. */
export class ResponseView {
  private text: string | undefined;
  private json: unknown = undefined;
  private parsed = false;

  constructor(
    readonly res: IncomingResponse,
    /** Milliseconds from the step's start to the last body byte. */
    readonly latencyMs: number,
  ) {}

  get status(): number {
    return this.res.status;
  }

  /** A header's value (repeated headers joined with `, `), or undefined. */
  header(name: string): string | undefined {
    const v = this.res.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  body(): string {
    this.text ??= this.res.body ? Buffer.from(this.res.body).toString('utf8') : '';
    return this.text;
  }

  /** The value at `path` in the JSON body; `found: false` when the body is not JSON or has no such value. */
  at(path: JsonPath): { found: boolean; value?: unknown } {
    if (!this.parsed) {
      this.parsed = true;
      try {
        this.json = JSON.parse(this.body());
      } catch {
        this.json = NOT_JSON;
      }
    }
    let v: unknown = this.json;
    if (v === NOT_JSON) return { found: false };
    for (const seg of path) {
      if (typeof seg === 'number') {
        if (!Array.isArray(v) || seg >= v.length) return { found: false };
        v = v[seg];
      } else {
        if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, seg))
          return { found: false };
        v = (v as Record<string, unknown>)[seg];
      }
    }
    return { found: true, value: v };
  }
}
