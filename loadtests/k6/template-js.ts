/**
 * Scenario templates as k6 JavaScript expressions: literal text through {@link lit},
 * `{{user.id}}` a uniform draw, `{{catalog.item}}` a Zipf draw, `{{faker.*}}` a pick from a pool of
 * values rendered here with the seeded faker (k6 has no faker without an extension), and
 * `${env.NAME}` the runtime `__ENV[NAME]`, so a secret's value never enters the file. In flows,
 * `{{feed.<name>.<column>}}` reads the virtual user's row by feed and column index (`col(f, c)`)
 * and a captured `{{token}}` reads the user's variable (`v("token")`, which fails the journey with
 * `capture:token` when it was never captured, so the text `{{token}}` is never sent).
 */
import { compileTemplate, Secrets, templateSources } from '../template.js';
import { lit } from './literal.js';

const TOKEN = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}|\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

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
    for (const m of source.matchAll(TOKEN)) {
      if (m.index > last) parts.push(lit(source.slice(last, m.index)));
      last = m.index + m[0].length;
      const own = m[1] === undefined ? undefined : this.scoped(m[1]);
      if (m[2]) parts.push(`(__ENV[${lit(m[2])}] ?? '')`);
      else if (own !== undefined) {
        constant = false;
        parts.push(wrap(own));
      } else if (m[1] === 'user.id') {
        constant = false;
        parts.push('String(userId())');
      } else if (m[1] === 'catalog.item') {
        constant = false;
        parts.push('String(catalogItem())');
      } else if (m[1].startsWith('faker.')) {
        constant = false;
        this.pools.set(m[1], []);
        parts.push(wrap(`pick(POOLS[${lit(m[1])}])`));
      } else parts.push(lit(m[0]));
    }
    if (last < source.length) parts.push(lit(source.slice(last)));
    return { code: parts.length ? parts.join(' + ') : "''", constant };
  }

  /** `feed.accounts.user` → `col(0, 1)`, a captured `token` → `v("token")`, else undefined. */
  private scoped(name: string): string | undefined {
    const feed = /^feed\.([A-Za-z0-9_-]+)\.(.+)$/.exec(name);
    if (feed) {
      const f = this.scope.feeds.findIndex((x) => x.name === feed[1]);
      const c = f < 0 ? -1 : this.scope.feeds[f].columns.indexOf(feed[2]);
      return c < 0 ? undefined : `col(${f}, ${c})`;
    }
    return this.scope.vars.has(name) ? `v(${lit(name)})` : undefined;
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
