/**
 * Captures and checks of a flow step, as written in YAML and as the executor reads them:
 * `capture: { token: json.token, sid: header.x-session, csrf: 'regex "value=(\w+)"', code: status }`
 * and `check: { status: [200, 206], json.results: not-empty, body: contains "ok", latency: < 500ms }`.
 */
import { parseDuration } from './units.js';
import { ValueError } from './value-error.js';

/** A path into a JSON document: object keys and array indexes. */
export type JsonPath = (string | number)[];

/** Where a capture takes its value from. */
export type Capture =
  | { name: string; from: 'json'; path: JsonPath }
  | { name: string; from: 'header'; header: string }
  | { name: string; from: 'regex'; pattern: string }
  | { name: string; from: 'status' };

/** One check of a response; `name` is its key as written (`status`, `json.results`…). */
export type Check =
  | { name: string; kind: 'status'; ranges: [number, number][] }
  | { name: string; kind: 'json'; path: JsonPath; op: 'exists' | 'not-empty' | 'equals'; value?: unknown }
  | { name: string; kind: 'body'; op: 'contains' | 'matches'; value: string }
  | {
      name: string;
      kind: 'header';
      header: string;
      op: 'exists' | 'equals' | 'contains' | 'matches';
      value?: string;
    }
  | { name: string; kind: 'latency'; op: '<' | '<='; ms: number };

/** Names a capture may not take: template roots and prototype keys. */
export const RESERVED_VARS = [
  'feed',
  'user',
  'catalog',
  'faker',
  'env',
  '__proto__',
  'constructor',
  'prototype',
];
/** A variable name: `token`, `track_id`. */
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `results[0].id` → `['results', 0, 'id']`. */
export function parseJsonPath(text: string): JsonPath {
  const out: JsonPath = [];
  const re = /\.?([A-Za-z0-9_$-]+)|\[(\d+)\]/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m === null || (m[1] !== undefined && at > 0 && !m[0].startsWith('.')))
      throw new ValueError(`bad JSON path \`${text}\`: expected names and indexes like \`results[0].id\``);
    if (m[1] !== undefined) {
      if (m[1] === '__proto__' || m[1] === 'constructor' || m[1] === 'prototype')
        throw new ValueError(`bad JSON path \`${text}\`: \`${m[1]}\` is not a document key`);
      out.push(m[1]);
    } else out.push(Number(m[2]));
    at = re.lastIndex;
  }
  if (out.length === 0) throw new ValueError('empty JSON path: write e.g. `json.token`');
  return out;
}

/** A quoted (`"ok"`, `'ok'`) or bare word → its text. */
function unquote(text: string): string {
  const t = text.trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) {
    try {
      return JSON.parse(t) as string;
    } catch {
      throw new ValueError(`bad quoted text ${t}`);
    }
  }
  if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) return t.slice(1, -1);
  return t;
}

function compiles(pattern: string): string {
  try {
    new RegExp(pattern);
  } catch (e) {
    throw new ValueError(`bad regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
  return pattern;
}

/** `json.token`, `header.x-session`, `regex "…"` or `status` → a capture named `name`. */
export function parseCapture(name: string, text: string): Capture {
  const t = text.trim();
  if (t === 'status') return { name, from: 'status' };
  if (t === 'json' || t.startsWith('json.') || t.startsWith('json['))
    return { name, from: 'json', path: parseJsonPath(t.slice(4).replace(/^\./, '')) };
  if (t.startsWith('header.') && t.length > 7)
    return { name, from: 'header', header: t.slice(7).toLowerCase() };
  const rx = /^regex\s+(.+)$/s.exec(t);
  if (rx) {
    const pattern = compiles(unquote(rx[1]));
    if (new RegExp(`${pattern}|`).exec('')?.length === 1)
      throw new ValueError(
        `regex capture ${JSON.stringify(pattern)} needs a group: the first group is captured`,
      );
    return { name, from: 'regex', pattern };
  }
  throw new ValueError(
    `bad capture \`${t}\`: expected \`json.<path>\`, \`header.<name>\`, \`regex "<re>"\` or \`status\``,
  );
}

/** One status term: `200`, `2xx`, `200-299`. */
function statusRange(v: unknown): [number, number] {
  const t = String(v).trim();
  const ok = (n: number) => Number.isInteger(n) && n >= 100 && n <= 599;
  let m = /^(\d{3})$/.exec(t);
  if (m && ok(Number(m[1]))) return [Number(m[1]), Number(m[1])];
  m = /^([1-5])xx$/i.exec(t);
  if (m) return [Number(m[1]) * 100, Number(m[1]) * 100 + 99];
  m = /^(\d{3})\s*-\s*(\d{3})$/.exec(t);
  if (m && ok(Number(m[1])) && ok(Number(m[2])) && Number(m[1]) <= Number(m[2]))
    return [Number(m[1]), Number(m[2])];
  throw new ValueError(
    `bad status \`${t}\`: expected a code like \`200\`, a class like \`2xx\` or a range \`200-299\``,
  );
}

function operand(text: string, ops: readonly string[]): { op: string; rest: string } | undefined {
  for (const op of ops) {
    if (text === op) return { op, rest: '' };
    if (text.startsWith(`${op} `)) return { op, rest: text.slice(op.length + 1).trim() };
  }
  return undefined;
}

/** One `check` entry: key as written (`status`, `json.results`, `body`, `header.x`, `latency`) and its value. */
export function parseCheck(key: string, value: unknown): Check {
  const name = key;
  if (key === 'status') {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) throw new ValueError('`status` needs at least one code');
    return { name, kind: 'status', ranges: list.map(statusRange) };
  }
  if (key === 'latency') {
    const m = /^(<=?)\s*(.+)$/.exec(String(value).trim());
    if (!m) throw new ValueError(`bad latency check \`${String(value)}\`: expected \`< 500ms\``);
    return { name, kind: 'latency', op: m[1] as '<' | '<=', ms: parseDuration(m[2]) * 1000 };
  }
  if (key === 'body') {
    const o = operand(String(value).trim(), ['contains', 'matches']);
    if (!o || o.rest === '')
      throw new ValueError(
        `bad body check \`${String(value)}\`: expected \`contains "text"\` or \`matches "re"\``,
      );
    const text = unquote(o.rest);
    return {
      name,
      kind: 'body',
      op: o.op as 'contains' | 'matches',
      value: o.op === 'matches' ? compiles(text) : text,
    };
  }
  if (key.startsWith('json.') || key.startsWith('json[') || key === 'json') {
    const path = key === 'json' ? [] : parseJsonPath(key.slice(4).replace(/^\./, ''));
    if (typeof value === 'string') {
      const o = operand(value.trim(), ['exists', 'not-empty', 'equals']);
      if (o?.op === 'equals') return { name, kind: 'json', path, op: 'equals', value: unquote(o.rest) };
      if (o && o.rest === '') return { name, kind: 'json', path, op: o.op as 'exists' | 'not-empty' };
    }
    if (value !== null && typeof value === 'object')
      throw new ValueError(`bad check \`${key}\`: compare with a single value, \`exists\` or \`not-empty\``);
    return { name, kind: 'json', path, op: 'equals', value };
  }
  if (key.startsWith('header.') && key.length > 7) {
    const header = key.slice(7).toLowerCase();
    const text = String(value).trim();
    const o = operand(text, ['exists', 'contains', 'matches', 'equals']);
    if (o?.op === 'exists' && o.rest === '') return { name, kind: 'header', header, op: 'exists' };
    if (o && o.op !== 'exists' && o.rest !== '') {
      const v = unquote(o.rest);
      return {
        name,
        kind: 'header',
        header,
        op: o.op as 'contains',
        value: o.op === 'matches' ? compiles(v) : v,
      };
    }
    return { name, kind: 'header', header, op: 'equals', value: unquote(text) };
  }
  throw new ValueError(
    `unknown check \`${key}\`: checks are \`status\`, \`json.<path>\`, \`body\`, \`header.<name>\` and \`latency\``,
  );
}
