/**
 * Scenario templates as k6 JavaScript expressions: literal text through {@link lit},
 * `{{user.id}}` a uniform draw, `{{catalog.item}}` a Zipf draw, `{{faker.*}}` a pick from a pool of
 * values rendered here with the seeded faker (k6 has no faker without an extension), and
 * `${env.NAME}` the runtime `__ENV[NAME]`, so a secret's value never enters the file.
 */
import { compileTemplate, Secrets, templateSources } from '../template.js';
import { lit } from './literal.js';

const TOKEN = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}|\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Renders templates and collects the faker pools they use (emitted once as `POOLS`). */
export class TemplateJs {
  /** Faker paths used so far, each with its value pool once {@link fillPools} ran. */
  readonly pools = new Map<string, string[]>();

  /** A JavaScript expression of type string for `source`; `encode` percent-encodes generated parts. */
  expr(source: string, encode = false): string {
    const parts: string[] = [];
    let last = 0;
    const wrap = (e: string) => (encode ? `encodeURIComponent(${e})` : e);
    for (const m of source.matchAll(TOKEN)) {
      if (m.index > last) parts.push(lit(source.slice(last, m.index)));
      last = m.index + m[0].length;
      if (m[2]) parts.push(`(__ENV[${lit(m[2])}] ?? '')`);
      else if (m[1] === 'user.id') parts.push('String(userId())');
      else if (m[1] === 'catalog.item') parts.push('String(catalogItem())');
      else if (m[1].startsWith('faker.')) {
        this.pools.set(m[1], []);
        parts.push(wrap(`pick(POOLS[${lit(m[1])}])`));
      } else parts.push(lit(m[0]));
    }
    if (last < source.length) parts.push(lit(source.slice(last)));
    return parts.length ? parts.join(' + ') : "''";
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
