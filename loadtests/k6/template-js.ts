/**
 * Scenario templates as k6 JavaScript expressions: literal text through {@link lit},
 * `{{user.id}}` a uniform draw, `{{catalog.item}}` a Zipf draw, `{{faker.*}}` a pick from a pool of
 * values rendered here with the seeded faker (k6 has no faker without an extension), and
 * `${env.NAME}` the runtime `__ENV[NAME]`, so a secret's value never enters the file. In flows,
 * `{{feed.<name>.<column>}}` reads the virtual user's row by feed and column index (`col(f, c)`)
 * and a captured `{{token}}` reads the user's variable (`v("token")`, which fails the journey with
 * `capture:token` when it was never captured, so the text `{{token}}` is never sent).
 */
import { placeholders, type TemplateRef } from '../../scenarios/template-syntax.js';
import { compileTemplate, Secrets, templateSources } from '../template.js';
import { lit } from './literal.js';

/** What flow templates may name: captured variables and each feed's columns, in feed order. */
export interface TemplateJsScope {
  vars: ReadonlySet<string>;
  feeds: readonly { name: string; columns: readonly string[] }[];
}

/** A rendered expression and whether it can differ between requests. */
export interface JsExpr {
  code: string;
  constant: boolean;
}

/** Renders templates and collects the faker pools they use (emitted once as `POOLS`). */
export class TemplateJs {
  /** Faker paths used so far, each with its value pool once {@link fillPools} ran. */
  readonly pools = new Map<string, string[]>();

  constructor(private readonly scope: TemplateJsScope = { vars: new Set(), feeds: [] }) {}

  /** A JavaScript expression of type string for `source`; `encode` percent-encodes generated parts. */
  expr(source: string, encode = false): string {
    return this.render(source, encode).code;
  }

  /** {@link expr} with whether the value is the same on every request (no template part). */
  render(source: string, encode = false): JsExpr {
    const parts: string[] = [];
    let last = 0;
    let constant = true;
    const wrap = (e: string) => (encode ? `encodeURIComponent(${e})` : e);
    for (const { index, text, ref } of placeholders(source)) {
      if (index > last) parts.push(lit(source.slice(last, index)));
      last = index + text.length;
      const own = this.scoped(ref);
      const name = ref.kind === 'name' ? ref.name : undefined;
      if (ref.kind === 'env') parts.push(`(__ENV[${lit(ref.name)}] ?? '')`);
      else if (own !== undefined) {
        constant = false;
        parts.push(wrap(own));
      } else if (name === 'user.id') {
        constant = false;
        parts.push('String(userId())');
      } else if (name === 'catalog.item') {
        constant = false;
        parts.push('String(catalogItem())');
      } else if (name?.startsWith('faker.')) {
        constant = false;
        this.pools.set(name, []);
        parts.push(wrap(`pick(POOLS[${lit(name)}])`));
      } else parts.push(lit(text));
    }
    if (last < source.length) parts.push(lit(source.slice(last)));
    return { code: parts.length ? parts.join(' + ') : "''", constant };
  }

  /** `feed.accounts.user` → `col(0, 1)`, a captured `token` → `v("token")`, else undefined. */
  private scoped(ref: TemplateRef): string | undefined {
    if (ref.kind === 'feed') {
      const f = this.scope.feeds.findIndex((x) => x.name === ref.feed);
      const c = f < 0 ? -1 : this.scope.feeds[f].columns.indexOf(ref.column);
      return c < 0 ? undefined : `col(${f}, ${c})`;
    }
    return ref.kind === 'name' && this.scope.vars.has(ref.name) ? `v(${lit(ref.name)})` : undefined;
  }

  /** Fills every pool with `size` values from the faker seeded with `seed`. */
  fillPools(seed: number, size: number): void {
    const sources = templateSources(seed, {});
    for (const path of this.pools.keys()) {
      // The load engine's own compiler resolves the call, so an unknown one is the same UsageError.
      const t = compileTemplate(`{{${path}}}`, sources, new Secrets());
      const values: string[] = [];
      for (let i = 0; i < size; i++) values.push(t.render());
      this.pools.set(path, values);
    }
  }

  /** The `POOLS` declaration. */
  declaration(): string {
    return `const POOLS: Record<string, string[]> = ${lit(Object.fromEntries(this.pools))};`;
  }
}
