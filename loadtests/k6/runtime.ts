/**
 * The helpers every generated k6 script carries: constant text with no scenario value in it
 * (scenario values reach the script only through `lit`, in the sections written around this).
 *
 * What they do, mirroring backline's own flow executor (`loadtests/flow/`):
 * - Module scope is per virtual user in k6 (each VU runs its own copy of the script), so `VARS`
 *   (captures), `ROWS` (feed rows) and `sessionDone` are per VU; k6's per-VU cookie jar plays the
 *   part of backline's (every request goes to the one target origin).
 * - A journey is a `group()`; each step is one request tagged `journey` and `step` (and `name`,
 *   so k6 groups URLs by step), its checks one `check()` each, tagged the same way.
 * - A failed check, capture, transport error or non-2xx status (when no status check is given)
 *   fails the step and the journey with backline's cause (`check:<name>`, `capture:<name>`…);
 *   `journey_duration` (successful journeys), `journey_failed`, `journeys` and `step_failed`
 *   carry that to thresholds and to `backline merge`.
 */
export const RUNTIME = `
function pick(values: string[]): string {
  return values[Math.floor(Math.random() * values.length)];
}

function userId(): number {
  return 1 + Math.floor(Math.random() * POPULATION);
}

/** Zipf ranks by inverting the continuous approximation of the Zipf CDF (close for large catalogs). */
function catalogItem(): number {
  const u = Math.random();
  if (Math.abs(ZIPF_S - 1) < 1e-9) return Math.min(ITEMS, Math.floor(Math.pow(ITEMS + 1, u)));
  const a = 1 - ZIPF_S;
  return Math.min(ITEMS, Math.max(1, Math.floor(Math.pow(u * (Math.pow(ITEMS + 1, a) - 1) + 1, 1 / a))));
}

/** A distribution as the scenario states it (seconds), sampled here like the simulation does. */
interface Dist {
  kind: string;
  value?: number;
  min?: number;
  max?: number;
  mean?: number;
  sd?: number;
  mu?: number;
  sigma?: number;
  shape?: number;
  scale?: number;
  s?: number;
  n?: number;
  values?: number[];
}

function normal01(): number {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

/** Marsaglia and Tsang's gamma sampler (shape < 1 boosted by U^(1/shape)). */
function gamma(shape: number, scale: number): number {
  if (shape < 1) return gamma(shape + 1, scale) * Math.pow(Math.random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal01();
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v3 = t * t * t;
    const u = Math.random();
    if (Math.log(u) < 0.5 * x * x + d - d * v3 + d * Math.log(v3)) return d * v3 * scale;
  }
}

/** One draw of \`d\` in seconds, never negative (a think time cannot be). */
function sample(d: Dist): number {
  const n = (x: number | undefined) => x ?? 0;
  let x = 0;
  switch (d.kind) {
    case 'const': x = n(d.value); break;
    case 'uniform': x = n(d.min) + (n(d.max) - n(d.min)) * Math.random(); break;
    case 'exp': x = -n(d.mean) * Math.log(1 - Math.random()); break;
    case 'normal': x = n(d.mean) + n(d.sd) * normal01(); break;
    case 'lognormal': x = Math.exp(n(d.mu) + n(d.sigma) * normal01()); break;
    case 'gamma': x = gamma(n(d.shape), n(d.scale)); break;
    case 'weibull': x = n(d.scale) * Math.pow(-Math.log(1 - Math.random()), 1 / n(d.shape)); break;
    case 'pareto': x = n(d.scale) * Math.pow(1 - Math.random(), -1 / n(d.shape)); break;
    case 'empirical': x = d.values && d.values.length ? d.values[Math.floor(Math.random() * d.values.length)] : 0; break;
    default: x = n(d.mean);
  }
  return Number.isFinite(x) && x > 0 ? x : 0;
}

const JOURNEY_DURATION = new Trend('journey_duration', true);
const JOURNEY_FAILED = new Rate('journey_failed');
const JOURNEY_COUNT = new Counter('journeys');
const STEP_FAILED = new Rate('step_failed');

/** Why a step or journey failed, with backline's cause. */
class Fail {
  cause: string;
  constructor(cause: string) {
    this.cause = cause;
  }
}

/** Per VU (module scope is per VU in k6): captured variables, feed rows, whether the session ran. */
const VARS = new Map<string, string>();
const ROWS = new Map<number, string[]>();
let sessionDone = false;

/** A captured variable; never captured fails the journey instead of sending the placeholder. */
function v(name: string): string {
  const x = VARS.get(name);
  if (x === undefined) throw new Fail('capture:' + name);
  return x;
}

interface Feed {
  rows: string[][];
  order: string;
  exhausted: string;
}

/**
 * This VU's row of feed \`f\`, drawn on its first journey. exec.vu.idInTest is unique across the
 * whole test (all k6-operator runners too), so \`sequential\` and \`unique\` hand row idInTest - 1
 * (\`sequential\` and \`unique\` with \`recycle\` wrap around); \`random\` draws one uniformly.
 */
function row(f: number): string[] {
  let r = ROWS.get(f);
  if (r !== undefined) return r;
  const feed = FEEDS[f];
  const i = exec.vu.idInTest - 1;
  if (feed.order === 'random') r = feed.rows[Math.floor(Math.random() * feed.rows.length)];
  else if (feed.order === 'unique' && feed.exhausted === 'stop' && i >= feed.rows.length)
    throw new Fail('feed_exhausted');
  else r = feed.rows[i % feed.rows.length];
  ROWS.set(f, r);
  return r;
}

function col(f: number, c: number): string {
  return row(f)[c];
}

/** A header value built from templates: CR, LF, NUL or non-ASCII is refused, never sent. */
function hv(value: string): string {
  if (/[\\r\\n\\0]|[^\\x00-\\x7f]/.test(value)) throw new Fail('bad_request');
  return value;
}

type Res = RefinedResponse<ResponseType | undefined>;
type JsonPath = (string | number)[];

/** A response as checks and captures read it: the JSON body parsed once, on first use. */
class View {
  res: Res;
  private parsed = false;
  private doc: JSONValue | undefined = undefined;
  constructor(res: Res) {
    this.res = res;
  }
  body(): string {
    return typeof this.res.body === 'string' ? this.res.body : '';
  }
  header(name: string): string | undefined {
    for (const k of Object.keys(this.res.headers)) if (k.toLowerCase() === name) return this.res.headers[k];
    return undefined;
  }
  at(path: JsonPath): { found: boolean; value?: unknown } {
    if (!this.parsed) {
      this.parsed = true;
      try {
        this.doc = this.res.json();
      } catch (e) {
        this.doc = undefined;
      }
    }
    if (this.doc === undefined) return { found: false };
    let x: unknown = this.doc;
    for (const seg of path) {
      if (typeof seg === 'number') {
        if (!Array.isArray(x) || seg >= x.length) return { found: false };
        x = x[seg];
      } else {
        if (typeof x !== 'object' || x === null || Array.isArray(x) || !Object.prototype.hasOwnProperty.call(x, seg))
          return { found: false };
        x = (x as Record<string, unknown>)[seg];
      }
    }
    return { found: true, value: x };
  }
}

function nonEmpty(at: { found: boolean; value?: unknown }): boolean {
  const x = at.value;
  if (!at.found || x === null || x === undefined || x === '') return false;
  if (Array.isArray(x)) return x.length > 0;
  if (typeof x === 'object') return Object.keys(x as object).length > 0;
  return true;
}

/** Loose equality the way YAML authors mean it: 200 equals "200". */
function same(at: { found: boolean; value?: unknown }, expected: unknown): boolean {
  if (!at.found) return false;
  if (at.value === expected) return true;
  if (typeof at.value === 'object' || typeof expected === 'object') return false;
  return String(at.value) === String(expected);
}

function statusIn(status: number, ranges: [number, number][]): boolean {
  return ranges.some((r) => status >= r[0] && status <= r[1]);
}

/** A JSON capture as text: objects and arrays as JSON, null or absent as nothing. */
function jsonText(at: { found: boolean; value?: unknown }): string | undefined {
  if (!at.found || at.value === null || at.value === undefined) return undefined;
  return typeof at.value === 'object' ? JSON.stringify(at.value) : String(at.value);
}

/** k6 error codes (javascript-api/error-codes) → backline's transport causes. */
function transportCause(res: Res): string {
  const code = res.error_code;
  if (code === 1050 || code === 1211) return 'timeout';
  if (code === 1212) return 'refused';
  if (code === 1220 || code === 1201 || code === 1202) return 'reset';
  return code ? 'k6_' + code : 'error';
}

/** k6 refuses group and check names holding its separator \`::\`; those get \`: :\` instead. */
function k6Name(name: string): string {
  return name.split('::').join(': :');
}

interface Req {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
}

type CheckFn = (r: View) => boolean;
type CaptureFn = (r: View) => string | undefined;

/**
 * One request step: built (a template may fail it before anything is sent), sent, checked (each
 * check counted), captured; throws Fail with the first cause, as backline's executor does.
 */
function step(
  flow: string,
  name: string,
  build: () => Req,
  checks: [string, CheckFn][],
  captures: [string, CaptureFn][],
  statusChecked: boolean,
): void {
  const tags: Record<string, string> = { journey: flow, step: name };
  const fail = (cause: string): never => {
    STEP_FAILED.add(1, { journey: flow, step: name, cause });
    throw new Fail(cause);
  };
  let req: Req;
  try {
    req = build();
  } catch (e) {
    if (e instanceof Fail) return fail(e.cause);
    throw e;
  }
  const res = http.request(req.method, req.url, req.body, {
    headers: req.headers,
    tags: { journey: flow, step: name, name },
  });
  if (res.status === 0) return fail(transportCause(res));
  const view = new View(res);
  let cause: string | undefined = undefined;
  for (const [checkName, fn] of checks) {
    const ok = check(view, { [k6Name(checkName)]: fn }, tags);
    if (!ok && cause === undefined) cause = 'check:' + checkName;
  }
  if (cause === undefined && !statusChecked && (res.status < 200 || res.status > 299))
    cause = 'status_' + res.status;
  if (cause === undefined) {
    for (const [varName, fn] of captures) {
      const value = fn(view);
      if (value === undefined) {
        cause = 'capture:' + varName;
        break;
      }
      VARS.set(varName, value);
    }
  }
  if (cause !== undefined) return fail(cause);
  STEP_FAILED.add(0, tags);
}

/**
 * One journey: draws the VU's feed rows, runs the session once per VU (until it succeeds), then the
 * flow in a group; books the whole flow's duration and its outcome under the journey's name.
 */
function runJourney(name: string, flow: () => void): void {
  const t0 = Date.now();
  let cause: string | undefined = undefined;
  try {
    for (let f = 0; f < FEEDS.length; f++) row(f);
    if (SESSION !== undefined && !sessionDone) {
      try {
        group('session', SESSION);
      } catch (e) {
        if (e instanceof Fail) throw new Fail('session:' + e.cause);
        throw e;
      }
      sessionDone = true;
    }
    group(k6Name(name), flow);
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    cause = e.cause;
  }
  JOURNEY_COUNT.add(1, { journey: name });
  if (cause === undefined) {
    JOURNEY_FAILED.add(0, { journey: name });
    JOURNEY_DURATION.add(Date.now() - t0, { journey: name });
  } else JOURNEY_FAILED.add(1, { journey: name, cause });
}

interface Journey {
  name: string;
  weight: number;
  run: () => void;
}
`;
