/**
 * The call syntax shared by distributions and arrival processes: `name(arg, key: arg, [a, b])`.
 * Only splitting happens here; what the arguments mean is up to each caller.
 */
import { ValueError } from './value-error.js';

/** One argument of a call: positional (`3ms`) or named (`median: 3ms`); `[a, b]` becomes a list. */
export interface CallArg {
  name?: string;
  text: string;
  list?: string[];
}

/** A parsed call `name(args)`. */
export interface Call {
  name: string;
  args: CallArg[];
}

const CALL = /^([A-Za-z_][\w-]*)\s*\(([\s\S]*)\)$/;
const NAMED = /^([A-Za-z_]\w*)\s*:\s*([\s\S]*)$/;

/** Splits on commas that are not nested inside brackets or parentheses. */
function splitTopLevel(text: string, whole: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      depth--;
      if (depth < 0) throw new ValueError(`bad \`${whole}\`: unbalanced \`${c}\``);
    } else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) throw new ValueError(`bad \`${whole}\`: unbalanced brackets`);
  parts.push(text.slice(start).trim());
  return parts;
}

/** Whether `text` looks like a call at all (`exp(1ms)`), as opposed to a bare value (`3ms`). */
export function isCall(text: string): boolean {
  return CALL.test(text.trim());
}

/** Parses `name(args)`; throws {@link ValueError} when the brackets or arguments are malformed. */
export function parseCall(text: string): Call {
  const whole = text.trim();
  const m = CALL.exec(whole);
  if (m === null) throw new ValueError(`bad \`${whole}\`: expected a call like \`exp(1ms)\``);
  const inner = m[2].trim();
  const pieces = inner === '' ? [] : splitTopLevel(inner, whole);
  const args = pieces.map((piece): CallArg => {
    if (piece === '') throw new ValueError(`bad \`${whole}\`: empty argument`);
    const named = NAMED.exec(piece);
    const arg: CallArg = named ? { name: named[1], text: named[2].trim() } : { text: piece };
    if (arg.text === '') throw new ValueError(`bad \`${whole}\`: argument \`${arg.name}\` has no value`);
    if (arg.text.startsWith('[')) {
      if (!arg.text.endsWith(']')) throw new ValueError(`bad \`${whole}\`: unclosed \`[\``);
      const body = arg.text.slice(1, -1).trim();
      arg.list = body === '' ? [] : splitTopLevel(body, whole);
      if (arg.list.some((x) => x === '')) throw new ValueError(`bad \`${whole}\`: empty list item`);
    }
    return arg;
  });
  return { name: m[1], args };
}
