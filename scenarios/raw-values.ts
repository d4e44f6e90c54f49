/**
 * Reading scenario values that may be raw input, parsed output or a failure marker. The
 * cross-section checks run even when some fields failed (so one load reports every mistake), so
 * they read every value through these instead of trusting its type.
 */
import type { z } from 'zod';

/** The zod refinement context the checks report issues on. */
export type Ctx = z.core.$RefinementCtx<unknown>;
/** A path to the offending value, as zod issues carry it. */
export type Path = (string | number)[];
/** An object read from the scenario, its fields unchecked. */
export type Rec = Record<string, unknown>;

/** Whether `v` is a plain object (not null, not an array). */
export const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `v` when it is a plain object, else an empty one, so lookups through it never throw. */
export const recordOf = (v: unknown): Rec => (isRecord(v) ? v : {});
/** `v` when it is a finite number, else undefined. */
export const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
