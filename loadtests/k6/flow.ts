/**
 * A journey's flow as k6 statements: `runJourney(name, () => { step(…); sleep(sample(…)); … })`,
 * each request step with its template expressions, its checks as `[name, (r) => boolean]` and its
 * captures as `[name, (r) => string | undefined]` (the runtime in `runtime.ts` runs them the way
 * backline's executor does). Every scenario value goes through `lit`/`key`; regular expressions
 * are built once at load from string literals (`new RegExp("…")`), never pasted as `/…/` source.
 * A path's literal text is percent-encoded as backline's engine sends it; template parts get
 * `encodeURIComponent` at run time.
 */
import type { Capture, Check } from '../../scenarios/load-assert.js';
import { encodeTarget } from '../../scenarios/load-http.js';
import type { FlowStep, RequestStep } from '../../scenarios/schema.js';
import { mapLiterals } from '../template.js';
import { key, lit, num } from './literal.js';
import type { TemplateJs } from './template-js.js';

/** Renders flows against one set of templates, collecting the regular expressions they use. */
export class FlowJs {
  private readonly regexes: string[] = [];

  constructor(private readonly t: TemplateJs) {}

  private re(pattern: string): string {
    let i = this.regexes.indexOf(pattern);
    if (i < 0) i = this.regexes.push(pattern) - 1;
    return `RE[${i}]`;
  }

  /** The `RE` declaration (after every flow was rendered). */
  declaration(): string {
    return `const RE: RegExp[] = [${this.regexes.map((p) => `new RegExp(${lit(p)})`).join(', ')}];`;
  }

  /** Statements running `steps` as flow `flow` (a journey, or `session`). */
  steps(flow: string, steps: readonly FlowStep[]): string {
    return steps
      .map((s) => (s.kind === 'think' ? `sleep(sample(${lit(s.think)}));` : this.request(flow, s).join('\n')))
      .join('\n');
  }

  /** One journey's `run` body: the flow wrapped in `runJourney`. */
  journey(name: string, steps: readonly FlowStep[]): string {
    const body = this.steps(name, steps).split('\n').join('\n  ');
    return `runJourney(${lit(name)}, (): void => {\n  ${body}\n});`;
  }

  private request(flow: string, s: RequestStep): string[] {
    const headers: string[] = [];
    const header = (k: string, source: string) => {
      const e = this.t.render(source);
      // A value fixed in the scenario was checked at validation; one made from templates is checked per request.
      headers.push(`${key(k)}: ${e.constant ? e.code : `hv(${e.code})`}`);
    };
    for (const [k, v] of Object.entries(s.headers)) header(k, v);
    let body = 'null';
    if (s.json !== undefined) {
      body = `JSON.stringify(${this.json(s.json)})`;
      if (!Object.keys(s.headers).some((k) => k.toLowerCase() === 'content-type'))
        header('content-type', 'application/json');
    } else if (s.body !== undefined) body = this.t.expr(s.body);
    const build =
      `() => ({ method: ${lit(s.method.toUpperCase())}, url: BASE + ${this.t.expr(mapLiterals(s.path, encodeTarget), true)}, ` +
      `body: ${body}, headers: {${headers.length ? ` ${headers.join(', ')} ` : ''}} })`;
    const checks = s.check.map((c) => `[${lit(c.name)}, ${this.check(c)}]`);
    const captures = s.capture.map((c) => `[${lit(c.name)}, ${this.capture(c)}]`);
    return [
      `step(${lit(flow)}, ${lit(s.name)},`,
      `  ${build},`,
      `  [${checks.join(', ')}],`,
      `  [${captures.join(', ')}],`,
      `  ${s.check.some((c) => c.kind === 'status')},`,
      ');',
    ];
  }

  /** A JSON body whose string leaves are templates, as an expression (keys computed: `__proto__` stays a key). */
  private json(v: unknown): string {
    if (typeof v === 'string') return this.t.expr(v);
    if (Array.isArray(v)) return `[${v.map((x) => this.json(x)).join(', ')}]`;
    if (typeof v === 'object' && v !== null)
      return `{ ${Object.entries(v)
        .map(([k, x]) => `${key(k)}: ${this.json(x)}`)
        .join(', ')} }`;
    return lit(v ?? null);
  }

  private check(c: Check): string {
    switch (c.kind) {
      case 'status':
        return `(r: View) => statusIn(r.res.status, ${lit(c.ranges)})`;
      case 'latency':
        return `(r: View) => r.res.timings.duration ${c.op} ${num(c.ms)}`;
      case 'body':
        return c.op === 'contains'
          ? `(r: View) => r.body().includes(${lit(c.value)})`
          : `(r: View) => ${this.re(c.value)}.test(r.body())`;
      case 'json': {
        const at = `r.at(${lit(c.path)})`;
        if (c.op === 'exists') return `(r: View) => ${at}.found`;
        if (c.op === 'not-empty') return `(r: View) => nonEmpty(${at})`;
        return `(r: View) => same(${at}, ${lit(c.value ?? null)})`;
      }
      case 'header': {
        const h = `r.header(${lit(c.header)})`;
        if (c.op === 'exists') return `(r: View) => ${h} !== undefined`;
        if (c.op === 'equals') return `(r: View) => ${h} === ${lit(c.value ?? '')}`;
        const test =
          c.op === 'contains' ? `x.includes(${lit(c.value ?? '')})` : `${this.re(c.value ?? '')}.test(x)`;
        return `(r: View) => { const x = ${h}; return x !== undefined && ${test}; }`;
      }
    }
  }

  private capture(c: Capture): string {
    switch (c.from) {
      case 'status':
        return '(r: View) => String(r.res.status)';
      case 'header':
        return `(r: View) => r.header(${lit(c.header)})`;
      case 'json':
        return `(r: View) => jsonText(r.at(${lit(c.path)}))`;
      case 'regex':
        return `(r: View) => { const m = ${this.re(c.pattern)}.exec(r.body()); return m === null ? undefined : m[1]; }`;
    }
  }
}
