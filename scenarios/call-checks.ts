/**
 * Checks of what steps, calls and produce name: every target resolves, no service takes a reserved
 * name, and the call graph has no cycles (a cycle would recurse forever in the simulator).
 */
import { callsOf, type Names, RESERVED, routeOf, targetProblem } from './names.js';
import { type Ctx, type Path, type Rec, recordOf } from './raw-values.js';

/** Service names that are words of the step and call language. */
export function checkReserved(n: Names, ctx: Ctx): void {
  for (const name of Object.keys(n.services)) {
    if (RESERVED.includes(name))
      ctx.addIssue({
        code: 'custom',
        path: ['services', name],
        params: { atKey: true },
        message: `service name \`${name}\` is reserved: \`${name}\` means something else in steps and calls`,
      });
  }
}

/** Journey steps that name nothing the scenario has. */
export function checkSteps(value: Rec, n: Names, ctx: Ctx): void {
  const journeys = recordOf(recordOf(value.users).journeys);
  for (const [journey, j] of Object.entries(journeys)) {
    const steps = recordOf(j).steps;
    if (!Array.isArray(steps)) continue;
    steps.forEach((step: unknown, i: number) => {
      if (typeof step !== 'string') return;
      const problem = targetProblem(step, n, 'step');
      if (problem)
        ctx.addIssue({ code: 'custom', path: ['users', 'journeys', journey, 'steps', i], message: problem });
    });
  }
}

/** Calls inside service routes that name nothing the scenario has. */
export function checkCalls(n: Names, ctx: Ctx): void {
  for (const [svc, def] of Object.entries(n.services)) {
    for (const [route, calls] of Object.entries(recordOf(recordOf(def).routes))) {
      for (const [t, path] of callsOf(calls, ['services', svc, 'routes', route])) {
        const problem = targetProblem(t, n, 'call');
        if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
      }
    }
  }
}

/** Finds call cycles (`a.x → b.y → a.x`) and reports each once, at the call that closes it. */
export function checkCycles(n: Names, ctx: Ctx): void {
  const state = new Map<string, 'open' | 'done'>();
  const stack: { node: string; label: string }[] = [];
  const reported = new Set<string>();
  const visit = (svc: string, route: string, label: string) => {
    const node = `${svc}.${route}`;
    state.set(node, 'open');
    stack.push({ node, label });
    const calls = recordOf(recordOf(n.services[svc]).routes)[route];
    for (const [t, path] of callsOf(calls, ['services', svc, 'routes', route])) {
      const callee = routeOf(n, t);
      if (callee === undefined) continue;
      const next = `${callee[0]}.${callee[1]}`;
      const s = state.get(next);
      if (s === 'open') {
        const from = stack.findIndex((e) => e.node === next);
        const loop = stack.slice(from);
        const key = loop
          .map((e) => e.node)
          .sort()
          .join(' ');
        if (!reported.has(key)) {
          reported.add(key);
          const labels = [
            ...loop.map((e, k) => (k === 0 ? e.node : e.label)),
            t === loop[0].node ? t : loop[0].node,
          ];
          ctx.addIssue({ code: 'custom', path, message: `call cycle: ${labels.join(' → ')}` });
        }
      } else if (s === undefined) visit(callee[0], callee[1], t);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const [svc, def] of Object.entries(n.services)) {
    for (const route of Object.keys(recordOf(recordOf(def).routes))) {
      if (!state.has(`${svc}.${route}`)) visit(svc, route, `${svc}.${route}`);
    }
  }
}

/** Streams whose `produce` is not a route like `gateway.play`, or names an unknown one. */
export function checkStreams(value: Rec, n: Names, ctx: Ctx): void {
  for (const [name, s] of Object.entries(recordOf(value.streams))) {
    const produce = recordOf(s).produce;
    if (typeof produce !== 'string') continue;
    const path: Path = ['streams', name, 'produce'];
    const [svc, route] = produce.split('.');
    if (route === undefined || produce.split('.').length !== 2 || svc === 'stores') {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `bad produce \`${produce}\`: expected a route like \`gateway.play\``,
      });
      continue;
    }
    const problem = targetProblem(produce, n, 'call');
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem.replace(/ in call/, ' in produce') });
  }
}
