/**
 * Data feeds of a load test: `feeds: { accounts: { file: accounts.csv, order: sequential } }`.
 * A feed is a CSV file (RFC 4180, header row) or a JSON array of objects, read relative to the
 * scenario file. The loader resolves the path and checks the file and every column a template
 * uses; the rows themselves are read by {@link readFeed}.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as z from 'zod';
import { choice, section } from './fields.js';
import { ValueError } from './value-error.js';

/** A feed as the load drivers read it. `file` is absolute once the loader has resolved it. */
export interface Feed {
  file: string;
  /** `sequential`: rows in order; `random`: seeded draws; `unique`: each row to one virtual user only. */
  order: 'sequential' | 'random' | 'unique';
  /** With `order: unique`, what happens after the last row: `stop` fails new users, `recycle` starts over. */
  exhausted: 'stop' | 'recycle';
  /** Columns whose values are secrets: never written to results, reports or scripts. */
  secret: string[];
}

/** The `feeds` entry schema. */
export const FeedSchema = section('feed', {
  file: z.string({ error: 'expected a file name like `accounts.csv`' }).min(1, { error: 'empty file name' }),
  order: choice('order', ['sequential', 'random', 'unique']).default('sequential'),
  exhausted: choice('exhausted', ['stop', 'recycle']).default('stop'),
  columns: z
    .record(
      z.string(),
      section('column', {
        secret: z.boolean({ error: 'expected `true` or `false` for `secret`' }).default(false),
      }),
      { error: 'expected a mapping of columns like `{ password: { secret: true } }`' },
    )
    .default({}),
}).transform(
  (f): Feed => ({
    file: f.file,
    order: f.order,
    exhausted: f.exhausted,
    secret: Object.entries(f.columns)
      .filter(([, c]) => c.secret)
      .map(([k]) => k),
  }),
);

/** The rows of a feed with its column names. Values are strings (JSON numbers are written as text). */
export interface FeedData {
  columns: string[];
  rows: string[][];
}

/** Feeds larger than this are refused: they would be held in memory whole. */
export const MAX_FEED_BYTES = 256 * 1024 * 1024;

/** A feed file problem with the line (1-based) it is on, when known. */
export class FeedError extends ValueError {
  constructor(
    message: string,
    readonly line = 0,
  ) {
    super(message);
  }
}

/** Reads a regular file whole; devices, FIFOs and huge files are refused (nothing blocks or fills memory). */
function readRegular(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FeedError(
      code === 'ENOENT' ? `feed file not found: ${file}` : `cannot read feed ${file} (${code})`,
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FeedError(`feed ${file} is not a regular file`);
    if (st.size > MAX_FEED_BYTES) throw new FeedError(`feed ${file} is larger than 256 MB`);
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < st.size) {
      const n = readSync(fd, buf, at, st.size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** RFC 4180 CSV → records (quoted fields may hold commas, quotes as `""` and line breaks). */
export function parseCsv(text: string): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) {
      rows.push(row);
      lines.push(rowLine);
    }
    row = [];
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== '') throw new FeedError('a quote inside an unquoted field; quote the whole field', line);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) throw new FeedError('a quoted field is not closed', rowLine);
  if (field !== '' || row.length > 0) endRow();
  return { rows, lines };
}

function fromCsv(text: string, file: string): FeedData {
  const { rows, lines } = parseCsv(text);
  if (rows.length === 0) throw new FeedError(`feed ${file} is empty: expected a header row`);
  const columns = rows[0].map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (c === '' || seen.has(c))
      throw new FeedError(
        `feed ${file}: ${c === '' ? 'empty' : `repeated`} column name ${JSON.stringify(c)}`,
        1,
      );
    seen.add(c);
  }
  for (let r = 1; r < rows.length; r++) {
    if (rows[r].length !== columns.length)
      throw new FeedError(
        `feed ${file}:${lines[r]}: ${rows[r].length} fields, the header has ${columns.length}`,
        lines[r],
      );
  }
  if (rows.length === 1) throw new FeedError(`feed ${file} has a header but no rows`);
  return { columns, rows: rows.slice(1) };
}

function fromJson(text: string, file: string): FeedData {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FeedError(`feed ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data) || data.length === 0)
    throw new FeedError(`feed ${file}: expected a non-empty JSON array of objects`);
  const columns: string[] = [];
  for (const o of data) {
    if (typeof o !== 'object' || o === null || Array.isArray(o))
      throw new FeedError(`feed ${file}: every element must be an object of column values`);
    for (const k of Object.keys(o)) if (!columns.includes(k)) columns.push(k);
  }
  const rows = data.map((o: Record<string, unknown>) =>
    columns.map((c) => {
      const v = Object.hasOwn(o, c) ? o[c] : '';
      return typeof v === 'string'
        ? v
        : v === null || v === undefined
          ? ''
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
    }),
  );
  return { columns, rows };
}

/**
 * The rows of `file` (absolute): `.json` is a JSON array, anything else CSV. Validation reads it to
 * check columns; a run reads it once more when the plan is built, never per request.
 */
export function readFeed(file: string): FeedData {
  const text = readRegular(file);
  return /\.json$/i.test(file) ? fromJson(text, file) : fromCsv(text, file);
}
