/**
 * Every command, in help order. A command module exports `register(program)`.
 */
import type { Command } from 'commander';
import { register as capacity } from './capacity.js';
import { register as check } from './check.js';
import { register as compare } from './compare.js';
import { register as history } from './history.js';
import { register as k6 } from './k6.js';
import { register as list } from './list.js';
import { register as load } from './load.js';
import { register as merge } from './merge.js';
import { register as report } from './report.js';
import { register as run } from './run.js';
import { register as schema } from './schema.js';
import { register as serve } from './serve.js';
import { register as sim } from './sim.js';
import { register as sweep } from './sweep.js';
import { register as validate } from './validate.js';

/** Registers one command on the program. */
export type Register = (program: Command) => void;

export const commands: Register[] = [
  run,
  sim,
  load,
  serve,
  k6,
  merge,
  check,
  compare,
  report,
  history,
  sweep,
  capacity,
  validate,
  schema,
  list,
];
