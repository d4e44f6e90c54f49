/**
 * A flow's steps compiled once per run: templates parsed, regexes built, think samplers seeded,
 * and what each request needs kept (the body only when a check or capture reads it).
 */
import { UsageError } from '../../results/errors.js';
import type { Capture, Check } from '../../scenarios/load-assert.js';
import { encodeTarget, headerNameProblem, headerValueProblem } from '../../scenarios/load-http.js';
import type { FlowStep } from '../../scenarios/schema.js';
import { sampler } from '../../sim/kernel/distributions.js';
import type { Rng } from '../../sim/kernel/random.js';
import {
  compileTemplate,
  mapLiterals,
  type RenderContext,
  type Secrets,
  type Template,
  type TemplateScope,
  type TemplateSources,
} from '../template.js';
import { captureNeedsBody } from './captures.js';
import { needsBody } from './checks.js';

/** A request step ready to render. */
export interface CompiledRequest {
  kind: 'request';
  name: string;
  method: string;
  path: Template;
  headers: [string, Template][];
  body?: (ctx: RenderContext) => string;
  capture: { c: Capture; regex?: RegExp }[];
  check: { c: Check; regex?: RegExp }[];
  keepBody: boolean;
}

/** A think time: seconds to pause. */
export interface CompiledThink {
  kind: 'think';
  seconds: () => number;
}

/** A step of a compiled flow. */
export type CompiledStep = CompiledRequest | CompiledThink;

/** What compiling needs: the run's seeded sources, secrets and the names templates may use. */
export interface CompileContext {
  sources: TemplateSources;
  secrets: Secrets;
  scope: TemplateScope;
  rng: Rng;
}

/** A JSON body whose string leaves are templates → a renderer of its text. */
function jsonBody(value: unknown, cc: CompileContext): (ctx: RenderContext) => string {
  const build = (v: unknown): ((ctx: RenderContext) => unknown) => {
    if (typeof v === 'string') {
      const t = compileTemplate(v, cc.sources, cc.secrets, undefined, cc.scope);
      return (ctx) => t.render(ctx);
    }
    if (Array.isArray(v)) {
      const items = v.map(build);
      return (ctx) => items.map((f) => f(ctx));
    }
    if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v).map(([k, x]) => [k, build(x)] as const);
      return (ctx) => {
        const o: Record<string, unknown> = {};
        for (const [k, f] of entries) Object.defineProperty(o, k, { value: f(ctx), enumerable: true });
        return o;
      };
    }
    return () => v;
  };
  const f = build(value);
  return (ctx) => JSON.stringify(f(ctx));
}

/** Compiles a flow's steps. `where` names the flow in messages (`load.requests.play`). */
export function compileFlow(steps: readonly FlowStep[], cc: CompileContext, where: string): CompiledStep[] {
  return steps.map((s): CompiledStep => {
    if (s.kind === 'think') return { kind: 'think', seconds: sampler(s.think, cc.rng) };
    const tpl = (text: string, encode?: (x: string) => string) =>
      compileTemplate(text, cc.sources, cc.secrets, encode, cc.scope);
    // The literal path is encoded here once; sampled and captured values get encodeURIComponent.
    const path = tpl(mapLiterals(s.path, encodeTarget), (v) => encodeURIComponent(v));
    const headers: [string, Template][] = Object.entries(s.headers).map(([k, v]) => {
      const t = tpl(v);
      // A header whose value is fixed once `${env.X}` is read is checked now: exit 2, not a counted error.
      const p = headerNameProblem(k);
      if (p) throw new UsageError(`${where} step \`${s.name}\`: ${p}`);
      // The message quotes the template, never the value: it may hold a secret.
      if (t.constant && headerValueProblem(t.render()) !== undefined)
        throw new UsageError(
          `${where} step \`${s.name}\`: header \`${k}: ${t.source}\` has CR, LF, NUL or non-ASCII characters once expanded`,
        );
      return [k, t];
    });
    let body: CompiledRequest['body'];
    if (s.json !== undefined) {
      body = jsonBody(s.json, cc);
      if (!Object.keys(s.headers).some((k) => k.toLowerCase() === 'content-type'))
        headers.push(['content-type', tpl('application/json')]);
    } else if (s.body !== undefined) {
      const t = tpl(s.body);
      body = (ctx) => t.render(ctx);
    }
    const re = (pattern: string) => new RegExp(pattern);
    const capture = s.capture.map((c) => ({ c, regex: c.from === 'regex' ? re(c.pattern) : undefined }));
    const check = s.check.map((c) => ({
      c,
      regex: (c.kind === 'body' || c.kind === 'header') && c.op === 'matches' ? re(c.value ?? '') : undefined,
    }));
    return {
      kind: 'request',
      name: s.name,
      method: s.method.toUpperCase(),
      path,
      headers,
      body,
      capture,
      check,
      keepBody: s.capture.some(captureNeedsBody) || s.check.some(needsBody),
    };
  });
}
