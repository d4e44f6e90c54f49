/**
 * Lets scenario authors write calls unquoted in YAML: `time: lognormal(median: 2ms, p99: 12ms)` or
 * `{ time: uniform(1ms, 2ms) }`. Plain YAML rejects the first (`: ` starts a nested mapping) and
 * silently splits the second at the comma. Before parsing, such calls in value position are wrapped
 * in single quotes; {@link QuotedText.original} maps offsets back so positions still point into the
 * text the author wrote.
 */

/** Source text with calls quoted, plus the way back to original offsets. */
export interface QuotedText {
  text: string;
  /** Offset in `text` → offset in the original source. */
  original(offset: number): number;
  /** The calls that plain YAML 1.2 (PyYAML, yaml-language-server) would reject or split, as written. */
  misread: UnquotedCall[];
}

/** An unquoted call that is not plain YAML, with its offsets in the original source. */
export interface UnquotedCall {
  start: number;
  end: number;
  text: string;
}

/** Whether a plain scalar with this text would be cut or rejected by YAML 1.2 (in flow, any indicator). */
const breaksPlain = (call: string, inFlow: boolean) =>
  /:\s| #/.test(call) || (inFlow && /[,[\]{}]/.test(call));

const CALL_START = /[A-Za-z_][\w-]*\(/y;
/** Characters that make an unquoted call mean something else to YAML. */
const NEEDS_QUOTES = /[,:#[\]{}]/;

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isBreak = (c: string | undefined) => c === '\n' || c === '\r' || c === undefined;

/** End (exclusive) of a call starting at `i`, if its brackets close on the same line. */
function callEnd(src: string, i: number): number | undefined {
  CALL_START.lastIndex = i;
  if (!CALL_START.test(src)) return undefined;
  let depth = 0;
  for (let j = i; j < src.length && !isBreak(src[j]); j++) {
    const c = src[j];
    if (c === "'" || c === '"') return undefined;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      depth--;
      if (depth === 0 && c === ')') return j + 1;
      if (depth < 0) return undefined;
    }
  }
  return undefined;
}

/** Indentation (spaces) of the line containing offset `i`. */
function indentAt(src: string, i: number): number {
  const start = src.lastIndexOf('\n', i - 1) + 1;
  let n = 0;
  while (src[start + n] === ' ') n++;
  return n;
}

/**
 * Quotes unquoted calls in value position that YAML would misread. Everything else is left
 * byte-for-byte alone. This is a conservative scanner, not a YAML parser: when unsure (quotes inside
 * the call, brackets spanning lines) it leaves the text as it is and YAML reports what it sees.
 */
export function quoteCalls(src: string): QuotedText {
  const inserts: number[] = []; // original offsets before which a quote is inserted
  const misread: UnquotedCall[] = [];
  let flow = 0;
  let valueStart = true;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === '\n' || c === '\r') {
      i++;
      if (flow === 0) valueStart = true;
      continue;
    }
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || isBlank(src[i - 1]) || isBreak(src[i - 1]))) {
      while (i < n && !isBreak(src[i])) i++;
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < n) {
        if (c === '"' && src[i] === '\\') i += 2;
        else if (src[i] === c && c === "'" && src[i + 1] === "'") i += 2;
        else if (src[i] === c) break;
        else i++;
      }
      i++;
      valueStart = false;
      continue;
    }
    if (valueStart) {
      const end = callEnd(src, i);
      const next = end === undefined ? undefined : src[end];
      const endsValue =
        end !== undefined &&
        (isBreak(next) || isBlank(next) || (flow > 0 && (next === ',' || next === '}' || next === ']')));
      if (end !== undefined && endsValue && NEEDS_QUOTES.test(src.slice(i, end))) {
        inserts.push(i, end);
        const call = src.slice(i, end);
        if (breaksPlain(call, flow > 0)) misread.push({ start: i, end, text: call });
        i = end;
        valueStart = false;
        continue;
      }
    }
    if (c === '[' || c === '{') {
      flow++;
      i++;
      valueStart = true;
      continue;
    }
    if (c === ']' || c === '}') {
      flow = Math.max(0, flow - 1);
      i++;
      valueStart = false;
      continue;
    }
    if (c === ',' && flow > 0) {
      i++;
      valueStart = true;
      continue;
    }
    const after = src[i + 1];
    if (
      c === ':' &&
      (isBlank(after) || isBreak(after) || (flow > 0 && (after === ',' || after === '}' || after === ']')))
    ) {
      i++;
      valueStart = true;
      continue;
    }
    if (c === '-' && valueStart && flow === 0 && (isBlank(after) || isBreak(after))) {
      i++;
      continue;
    }
    if ((c === '|' || c === '>') && valueStart && flow === 0) {
      // Block scalar: its lines are text, whatever they contain, until the indentation drops back.
      const parent = indentAt(src, i);
      while (i < n && !isBreak(src[i])) i++;
      while (i < n) {
        const lineStart = src[i] === '\r' && src[i + 1] === '\n' ? i + 2 : i + 1;
        let j = lineStart;
        while (src[j] === ' ') j++;
        const blank = isBreak(src[j]);
        if (!blank && j - lineStart <= parent) break;
        i = j;
        while (i < n && !isBreak(src[i])) i++;
        if (i >= n) break;
      }
      continue;
    }
    // Any other plain scalar: skip it up to where YAML would end it.
    valueStart = false;
    i++;
    while (i < n && !isBreak(src[i])) {
      const d = src[i];
      if (d === '#' && isBlank(src[i - 1])) break;
      if (
        d === ':' &&
        (isBlank(src[i + 1]) || isBreak(src[i + 1]) || (flow > 0 && ',}]'.includes(src[i + 1])))
      )
        break;
      if (flow > 0 && (d === ',' || d === '[' || d === ']' || d === '{' || d === '}')) break;
      i++;
    }
  }
  if (inserts.length === 0) return { text: src, original: (o) => o, misread };
  let text = '';
  let last = 0;
  for (const at of inserts) {
    text += `${src.slice(last, at)}'`;
    last = at;
  }
  text += src.slice(last);
  // Quote k (0-based) sits at transformed offset inserts[k] + k.
  const quotePositions = inserts.map((at, k) => at + k);
  return {
    text,
    misread,
    original(offset) {
      let before = 0;
      while (before < quotePositions.length && quotePositions[before] < offset) before++;
      return offset - before;
    },
  };
}
