/**
 * The journeys of a k6 script: a `JOURNEYS` table of `{ name, weight, run }`, where `run` performs
 * one journey's flow (`load.requests`; `GET /journeys/<name>` when unlisted), and the `SESSION`
 * each virtual user runs once before its first journey. Statements come from {@link FlowJs}.
 */
import type { FlowStep, Scenario } from '../../scenarios/schema.js';
import { defaultRequest } from '../plan.js';
import type { FlowJs } from './flow.js';
import { lit, num } from './literal.js';

/** The scenario parts the journeys read. */
export type JourneysScope = Pick<Scenario, 'users' | 'load'>;

/** A journey's steps: its flow, or one request to `/journeys/<name>` (as backline's engine sends). */
export function journeySteps(s: JourneysScope, name: string): readonly FlowStep[] {
  const flow = s.load?.requests?.[name];
  return flow && flow.length > 0 ? flow : [defaultRequest(name)];
}

/** The `SESSION` and `JOURNEYS` declarations, in the scenario's journey order. */
export function journeysDeclaration(s: JourneysScope, flows: FlowJs): string {
  const session = s.load?.session?.length
    ? `(): void => {\n  ${flows.steps('session', s.load.session).split('\n').join('\n  ')}\n}`
    : 'undefined';
  const entries = Object.entries(s.users.journeys).map(
    ([name, j]) =>
      `  {\n    name: ${lit(name)},\n    weight: ${num(j.weight)},\n` +
      `    run: (): void => {\n      ${flows.journey(name, journeySteps(s, name)).split('\n').join('\n      ')}\n    },\n  },`,
  );
  return `const SESSION: (() => void) | undefined = ${session};\n\nconst JOURNEYS: Journey[] = [\n${entries.join('\n')}\n];`;
}
