/**
 * Shared by the scenario language's tests (not part of the build): a minimal valid scenario and the
 * message of the {@link ScenarioError} a load throws.
 */
import { ScenarioError } from '../results/errors.js';

/** A minimal valid scenario; tests append sections or `--set` overrides to it. */
export const BASE = `name: t
duration: 10m
users:
  arrivals: poisson(100/s)
  journeys:
    go: { steps: [api] }
services:
  api: { time: exp(1ms) }
`;

/** The full message of the ScenarioError `load` throws (anything else is rethrown). */
export function errorOf(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}
