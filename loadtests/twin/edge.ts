/**
 * The twin's edge (the `--port`): maps a request to its journey (by the scenario's `load.requests`
 * paths, `/journeys/<name>` or an `x-backline-journey` header), draws the user's region by the
 * scenario's shares (or takes `x-backline-region`) and walks the journey's steps, thinking between
 * them as the journey says.
 */
import type http from 'node:http';
import { placeholders } from '../../scenarios/template-syntax.js';
import { sampler } from '../../sim/kernel/distributions.js';
import type { RandomStreams } from '../../sim/kernel/random.js';
import { send, sleep } from './http.js';
import { itemId, pathItem } from './item.js';
import type { Steps } from './service.js';
import { traceRequest } from './trace-context.js';
import type { OtelTracing } from './tracing.js';
import type { TwinScenario } from './twin-scenario.js';

/** The request handler of the twin's edge. */
export class TwinEdge {
  /** The edge's draws: user ids, user regions, think times per journey. */
  private readonly draws: { user: () => number; region: () => number; think: Map<string, () => number> };
  private matcherCache: { name: string; re: RegExp | undefined }[] | undefined;

  constructor(
    private readonly scenario: TwinScenario,
    /** The network's region names, in its order. */
    private readonly regions: readonly string[],
    streams: RandomStreams,
    private readonly steps: () => Steps,
    private readonly tracing: () => OtelTracing | undefined,
  ) {
    this.draws = {
      user: streams.stream('twin:users'),
      region: streams.stream('twin:regions'),
      think: new Map(
        Object.entries(scenario.users.journeys).flatMap(([n, j]) =>
          j.think ? [[n, sampler(j.think, streams.stream(`twin:think:${n}`))] as const] : [],
        ),
      ),
    };
  }

  /** Serves one request at the edge. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const s = this.scenario;
    const path = (req.url ?? '/').split('?')[0];
    const journeys = s.users.journeys;
    const header = req.headers['x-backline-journey'];
    const matched = this.matchers().find((m) => m.re?.test(path));
    const name =
      (typeof header === 'string' && Object.hasOwn(journeys, header) ? header : undefined) ??
      /^\/journeys\/([^/?]+)/.exec(path)?.[1] ??
      matched?.name;
    const journey = name && Object.hasOwn(journeys, name) ? journeys[name] : undefined;
    if (!journey) {
      send(res, 404, '{"error":"no journey matches this request"}', 'not_found');
      return;
    }
    const user =
      Number(req.headers['x-backline-user']) || Math.floor(this.draws.user() * (s.users.population ?? 1e6));
    const from = this.regionOf(req.headers['x-backline-region']);
    const think = this.draws.think.get(name as string);
    const tracing = this.tracing();
    const trace = tracing && traceRequest(tracing, 'edge', name!, req, res);
    const steps = this.steps();
    void (async () => {
      // A path a request template matched names an item only where the template puts
      // `{{catalog.item}}` (`/playlists/{{user.id}}` names none); any other path by its digits.
      const item = matched?.re ? itemId(matched.re.exec(path)?.groups?.item) : pathItem(path);
      const ctx = {
        user,
        deadline: Number.POSITIVE_INFINITY,
        ...(item === undefined ? {} : { item }),
        ...(trace ? { trace } : {}),
      };
      for (const [i, step] of journey.steps.entries()) {
        if (i > 0 && think) await sleep(think());
        const out = await steps.step(step, from, ctx, path);
        if (!out.ok)
          return send(res, out.status, `{"error":${JSON.stringify(out.cause ?? 'error')}}`, out.cause);
      }
      send(res, 200, `{"journey":${JSON.stringify(name)}}`);
    })();
  }

  private matchers(): { name: string; re: RegExp | undefined }[] {
    // Every request step of a journey's flow maps to that journey.
    this.matcherCache ??= Object.keys(this.scenario.users.journeys).flatMap((name) =>
      (this.scenario.load?.requests?.[name] ?? []).flatMap((step) =>
        step.kind === 'request' ? [{ name, re: pathPattern(step.path) }] : [],
      ),
    );
    return this.matcherCache;
  }

  /** The user's region: the header when it names one, else drawn by the scenario's shares. */
  private regionOf(header: string | string[] | undefined): number {
    const regions = this.regions;
    const named = typeof header === 'string' ? regions.indexOf(header) : -1;
    if (named >= 0) return named;
    const shares = regions.map((r) => this.scenario.regions?.[r]?.users ?? 1 / regions.length);
    let x = this.draws.region();
    for (let i = 0; i < shares.length; i++) {
      x -= shares[i];
      if (x < 0) return i;
    }
    return shares.length - 1;
  }
}

/**
 * A regex for a request path template: each placeholder (`{{…}}`, `${env.…}`) matches one path
 * segment, and the query (from the first `?` outside a placeholder) is left out. The placeholders
 * are found by the scenario's own template reader, so a bracket column holding `}` or `?`
 * (`{{feed.accounts["a}b"]}}`) is one placeholder here too. The first `{{catalog.item}}` is the
 * group `item`: the catalog item the request is about.
 */
export function pathPattern(template: string | undefined): RegExp | undefined {
  if (!template) return undefined;
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let re = '';
  let last = 0;
  for (const p of placeholders(template)) {
    const text = template.slice(last, p.index);
    if (text.includes('?')) break;
    const item = p.ref.kind === 'name' && p.ref.name === 'catalog.item' && !re.includes('(?<item>');
    re += `${literal(text)}${item ? '(?<item>[^/]+)' : '[^/]+'}`;
    last = p.index + p.text.length;
  }
  return new RegExp(`^${re}${literal(template.slice(last).split('?')[0])}$`);
}
