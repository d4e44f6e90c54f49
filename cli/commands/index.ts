/**
 * Every command, in help order. A command module exports `register(program)`.
 */
import type { Command } from 'commander';
import { register as sim } from './sim.js';

/** Registers one command on the program. */
export type Register = (program: Command) => void;

export const commands: Register[] = [sim];
