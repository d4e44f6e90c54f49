/**
 * Request templates: `{{user.id}}`, `{{catalog.item}}` (Zipf-sampled like the simulation),
 * `{{faker.music.songName}}` (any faker call, seeded), `${env.NAME}` (a secret from the
 * environment) and, in flows, a virtual user's captured `{{token}}` and `{{feed.accounts.user}}`. Compiled once into parts so rendering a request is a join, not a parse.
 *
 * Secrets are substituted only into the bytes sent; {@link Secrets.redact} removes their values
 * from anything that might be written (error messages, results), so they never reach a report.
 */
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';
import { UsageError } from '../results/errors.js';
import type { DistSpec } from '../scenarios/distribution.js';
import { feedPlaceholder, placeholders, type TemplateRef } from '../scenarios/template-syntax.js';
import { RandomStreams } from '../sim/kernel/random.js';
import { zipfSampler } from '../sim/kernel/zipf.js';

/** Seeded value sources shared by every template of one run. */
export interface TemplateSources {
  userId(): number;
  catalogItem(): number;
  /** Loaded on first use: only a run whose templates call `faker.` pays for it. */
  readonly faker: Faker;
}

/**
 * A new faker with the English locale, seeded. faker is an ES module only and cost 1.4–1.6 s to
 * load in full (every locale) on each run and worker thread, so it is loaded here, on first use,
 * and only its English entry (~0.3 s). `require` of an ES module is synchronous on every Node that
 * faker 10 supports (its engines: ^20.19, ^22.13, >=24), so compiling a template stays synchronous.
 * The instance is new (not the module's shared one), so two plans in one process never share a seed.
 */
function loadFaker(seed: number): Faker {
  const { faker: english } = createRequire(import.meta.url)('@faker-js/faker/locale/en') as { faker: Faker };
  const FakerClass = english.constructor as new (o: { locale: Faker['rawDefinitions'] }) => Faker;
  const faker = new FakerClass({ locale: english.rawDefinitions });
  faker.seed(seed);
  return faker;
}

/** Builds the seeded sources: users uniform in 1..population, items Zipf over the catalog. */
export function templateSources(
  seed: number,
  opts: { population?: number; catalog?: { items: number; popularity: DistSpec } } = {},
): TemplateSources {
  const streams = new RandomStreams(seed, 0);
  const users = streams.stream('load:users');
  const population = opts.population && opts.population > 0 ? opts.population : 1_000_000;
  const items = opts.catalog?.items ?? 10_000;
  const pop = opts.catalog?.popularity;
  const s = pop?.kind === 'zipf' ? pop.s : 1;
  const zipf = zipfSampler(Math.max(1, Math.floor(items)), s, streams.stream('load:catalog'));
  let faker: Faker | undefined;
  return {
    userId: () => 1 + Math.floor(users() * population),
    catalogItem: zipf,
    get faker() {
      faker ??= loadFaker(seed);
      return faker;
    },
  };
}

/** Secret values taken from the environment, for redaction. */
export class Secrets {
  private readonly values = new Set<string>();

  /** The value of `name`; a missing variable is a usage error naming it (never its value). */
  get(name: string, env: NodeJS.ProcessEnv = process.env): string {
    // Own members only: `${env.__proto__}` or `${env.constructor}` must not read Object's.
    const v = Object.hasOwn(env, name) ? env[name] : undefined;
    if (typeof v !== 'string')
      throw new UsageError(`environment variable ${name} is not set (used as \${env.${name}})`);
    if (v.length > 0) this.values.add(v);
    return v;
  }

  /** Records `value` (a secret feed column) for redaction. */
  remember(value: string): void {
    if (value.length > 0) this.values.add(value);
  }

  /** `text` with every secret value replaced by `***`. */
  redact(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join('***');
    return out;
  }
}

/** A virtual user's own values: captured variables and the feed rows it drew. */
export interface RenderContext {
  vars: Map<string, string>;
  rows: Map<string, readonly string[]>;
}

/** What flow templates may name besides the seeded sources: variables and feed columns. */
export interface TemplateScope {
  /** Variable names a template may use (captured earlier in the flow or in the session). */
  vars: ReadonlySet<string>;
  /** Column names of each feed. */
  feeds: ReadonlyMap<string, readonly string[]>;
}

/** A template could not be rendered for this user; `cause` is the counted error cause. */
export class RenderError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

type Part = string | ((ctx?: RenderContext) => string);

/** A compiled template: `render()` gives the next concrete text. */
export interface Template {
  readonly source: string;
  /** True when rendering gives the same text every time. */
  readonly constant: boolean;
  /** The text for one request; flow templates read `ctx` (a user's variables and feed rows). */
  render(ctx?: RenderContext): string;
}

/** A part reading a virtual user's variable or feed column, or undefined when `ref` is neither. */
function scoped(
  ref: TemplateRef,
  scope: TemplateScope | undefined,
  encode: (s: string) => string,
): Part | undefined {
  if (scope === undefined) return undefined;
  if (ref.kind === 'feed') {
    const { feed: f, column } = ref;
    const shown = feedPlaceholder(f, column);
    const columns = scope.feeds.get(f);
    if (columns === undefined) throw new UsageError(`unknown feed \`${f}\` in ${shown}`);
    const col = columns.indexOf(column);
    if (col < 0) throw new UsageError(`feed \`${f}\` has no column ${JSON.stringify(column)} (${shown})`);
    return (ctx) => {
      const row = ctx?.rows.get(f);
      if (row === undefined) throw new RenderError('feed_exhausted', `no row of feed ${f} for this user`);
      return encode(row[col]);
    };
  }
  if (ref.kind !== 'name' || !scope.vars.has(ref.name)) return undefined;
  const name = ref.name;
  return (ctx) => {
    const v = ctx?.vars.get(name);
    if (v === undefined) throw new RenderError(`capture:${name}`, `variable ${name} was never captured`);
    return encode(v);
  };
}

/** Resolves `faker.music.songName` to a bound function, or explains which part does not exist. */
function fakerCall(faker: Faker, path: string[]): () => string {
  let obj: unknown = faker;
  for (const key of path.slice(0, -1)) {
    obj = (obj as Record<string, unknown>)?.[key];
    if (typeof obj !== 'object' || obj === null) {
      throw new UsageError(`unknown faker module \`faker.${path.join('.')}\` in a request template`);
    }
  }
  const last = path[path.length - 1];
  const fn = (obj as Record<string, unknown>)[last];
  if (typeof fn !== 'function') {
    throw new UsageError(`unknown faker call \`faker.${path.join('.')}\` in a request template`);
  }
  return () => String((fn as () => unknown).call(obj));
}

/**
 * Compiles `source`. `encode` escapes sampled values for their place (URL paths get
 * `encodeURIComponent`); secrets are inserted as they are.
 *
 * @throws UsageError for an unknown placeholder, faker call or unset environment variable.
 */
export function compileTemplate(
  source: string,
  sources: TemplateSources,
  secrets: Secrets,
  encode: (s: string) => string = (s) => s,
  scope?: TemplateScope,
): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const { index, text, ref } of placeholders(source)) {
    if (index > last) parts.push(source.slice(last, index));
    last = index + text.length;
    if (ref.kind === 'env') {
      parts.push(secrets.get(ref.name));
      continue;
    }
    const own = scoped(ref, scope, encode);
    const name = ref.kind === 'name' ? ref.name : undefined;
    if (own !== undefined) parts.push(own);
    else if (name === 'user.id') parts.push(() => String(sources.userId()));
    else if (name === 'catalog.item') parts.push(() => String(sources.catalogItem()));
    else if (name?.startsWith('faker.')) {
      const call = fakerCall(sources.faker, name.split('.').slice(1));
      parts.push(() => encode(call()));
    } else {
      throw new UsageError(
        `unknown template \`${text}\`; use {{user.id}}, {{catalog.item}}, {{faker.<module>.<call>}}, {{feed.<name>.<column>}}, a captured {{variable}} or \${env.NAME}`,
      );
    }
  }
  if (last < source.length) parts.push(source.slice(last));
  const merged: Part[] = [];
  for (const p of parts) {
    const prev = merged[merged.length - 1];
    if (typeof p === 'string' && typeof prev === 'string') merged[merged.length - 1] = prev + p;
    else merged.push(p);
  }
  const constant = merged.every((p) => typeof p === 'string');
  if (constant) {
    const text = merged.join('');
    return { source, constant, render: () => text };
  }
  return {
    source,
    constant,
    render: (ctx) => {
      let out = '';
      for (const p of merged) out += typeof p === 'string' ? p : p(ctx);
      return out;
    },
  };
}

/**
 * `source` with `encode` applied to its literal text only, placeholders kept as written (so a path's
 * literal characters are percent-encoded once while `{{track}}` still renders).
 */
export function mapLiterals(source: string, encode: (s: string) => string): string {
  let out = '';
  let last = 0;
  for (const { index, text } of placeholders(source)) {
    out += encode(source.slice(last, index)) + text;
    last = index + text.length;
  }
  return out + encode(source.slice(last));
}

/** The names of `${env.NAME}` secrets used in `source`. */
export function envNames(source: string): string[] {
  return placeholders(source).flatMap(({ ref }) => (ref.kind === 'env' ? [ref.name] : []));
}

/** `text` with every `${env.NAME}` replaced by its value (recorded in `secrets` for redaction). */
export function resolveEnv(text: string, secrets: Secrets, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(/\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => secrets.get(name, env));
}
