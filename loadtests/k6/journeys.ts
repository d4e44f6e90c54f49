/**
 * The journeys of a k6 script: a `JOURNEYS` table of `{ name, weight, run }`, where `run` performs
 * one journey. Today a journey is one request (`load.requests`); a renderer for multi-step flows
 * plugs in through {@link JourneyRenderer} and writes its statements with the same helpers
 * (`lit`/`key` for every scenario value, {@link TemplateJs} for templates, the script's `send()`).
 */
import { firstRequest, type LoadRequest } from '../../scenarios/load-section.js';
import type { LoadScenario } from '../shape.js';
import { lit, num } from './literal.js';
import type { TemplateJs } from './template-js.js';

/**
 * Statements of one journey's `run(): void` body. Runtime helpers in scope: `BASE` (target, no
 * trailing slash), `send(journey, method, url, body, headers)` (tags the request with the journey
 * and checks for 2xx; returns the k6 Response), `pick`, `userId`, `catalogItem`, `POOLS`.
 */
export type JourneyRenderer = (name: string, s: LoadScenario, t: TemplateJs) => string;

/** A journey that is one request of `load.requests` (or `GET /journeys/<name>` when unlisted). */
export const requestJourney: JourneyRenderer = (name, s, t) => {
  const r: LoadRequest = firstRequest(s.load?.requests?.[name]) ?? {
    method: 'GET',
    path: `/journeys/${name}`,
    headers: {},
  };
  const headers = Object.entries(r.headers ?? {})
    .map(([k, v]) => `[${lit(k)}]: ${t.expr(v)}`)
    .join(', ');
  const body = r.body === undefined ? 'null' : t.expr(r.body);
  return (
    `send(${lit(name)}, ${lit(r.method.toUpperCase())}, BASE + ${t.expr(r.path, true)}, ${body}, ` +
    `{ ${headers} });`
  );
};

/** The `JOURNEYS` declaration, in the scenario's journey order. */
export function journeysDeclaration(
  s: LoadScenario,
  t: TemplateJs,
  render: JourneyRenderer = requestJourney,
): string {
  const entries = Object.entries(s.users.journeys).map(
    ([name, j]) =>
      `  {\n    name: ${lit(name)},\n    weight: ${num(j.weight)},\n` +
      `    run: (): void => {\n      ${render(name, s, t).split('\n').join('\n      ')}\n    },\n  },`,
  );
  return `const JOURNEYS: Journey[] = [\n${entries.join('\n')}\n];`;
}
