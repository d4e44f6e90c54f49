/**
 * A worker thread that runs a generated k6 script (already transpiled to CommonJS) the way k6
 * does: each virtual user evaluates the module in its own context (so module scope is per VU),
 * iterations go round-robin over the VUs, and `k6`, `k6/http`, `k6/data`, `k6/execution` and
 * `k6/metrics` are small recording stand-ins. `http.request` is synchronous as in k6: it posts the
 * request to the parent thread and blocks on `Atomics.wait` until the parent (which sends it to a
 * real server, or answers it itself) writes the response into the shared buffer. Every metric
 * sample comes back as a k6-style point, with the `group` tag k6 would add.
 */
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';

const { js, env, files, vus, iterations, sab } = workerData;
const flag = new Int32Array(sab, 0, 2);
const bytes = new Uint8Array(sab, 8);
const points = [];
const requests = [];
const errors = [];
let sleeps = 0;

function send(req) {
  Atomics.store(flag, 0, 0);
  parentPort.postMessage({ type: 'request', req });
  Atomics.wait(flag, 0, 0);
  return JSON.parse(new TextDecoder().decode(bytes.slice(0, flag[1])));
}

/** Go's canonical MIME header key, as k6 gives response headers: `content-type` → `Content-Type`. */
const canonical = (k) => k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, d, c) => d + c.toUpperCase());

function virtualUser(id) {
  let group = '';
  const point = (metric, value, tags) =>
    points.push({
      metric,
      value: Number(value),
      tags: { ...(group ? { group } : {}), ...tags },
      time: new Date().toISOString(),
    });
  class Metric {
    constructor(name) {
      this.name = name;
    }
    add(value, tags) {
      point(this.name, value, tags ?? {});
    }
  }
  const k6 = {
    check(val, sets, tags) {
      let all = true;
      for (const [name, fn] of Object.entries(sets)) {
        const ok = Boolean(fn(val));
        point('checks', ok ? 1 : 0, { ...(tags ?? {}), check: name });
        all &&= ok;
      }
      return all;
    },
    group(name, fn) {
      if (name.includes('::')) throw new Error('group and check names may not contain "::"');
      const prev = group;
      group = `${prev}::${name}`;
      try {
        return fn();
      } finally {
        group = prev;
      }
    },
    sleep(s) {
      if (!(s >= 0)) throw new Error(`sleep(${s})`);
      sleeps += s;
    },
  };
  const http = {
    request(method, url, body, params) {
      const headers = params?.headers ?? {};
      const tags = params?.tags ?? {};
      requests.push({ vu: id, method, url, body, headers, tags, group });
      const r = send({ method, url, body, headers });
      point('http_req_duration', r.duration, {
        ...tags,
        method,
        status: String(r.status),
        expected_response: String(r.status >= 200 && r.status < 400),
      });
      const res = {
        status: r.status,
        body: r.body,
        error_code: r.error_code ?? 0,
        headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [canonical(k), v])),
        timings: { duration: r.duration },
        json() {
          return JSON.parse(this.body);
        },
      };
      return res;
    },
  };
  function SharedArray(_name, cb) {
    return Object.freeze(cb());
  }
  const modules = {
    k6: { __esModule: true, ...k6 },
    'k6/http': { __esModule: true, default: http },
    'k6/data': { __esModule: true, SharedArray },
    'k6/execution': { __esModule: true, default: { vu: { idInTest: id } } },
    'k6/metrics': { __esModule: true, Trend: Metric, Rate: Metric, Counter: Metric },
    'k6/options': { __esModule: true },
  };
  const module = { exports: {} };
  runInNewContext(js, {
    module,
    exports: module.exports,
    require: (name) => {
      if (!(name in modules)) throw new Error(`unexpected import ${name}`);
      return modules[name];
    },
    open: (path) => {
      const name = path.replace(/^\.\//, '');
      if (!Object.hasOwn(files, name)) throw new Error(`open(${path}): no such file beside the script`);
      return files[name];
    },
    __ENV: env,
  });
  return module.exports;
}

const users = Array.from({ length: vus }, (_, i) => virtualUser(i + 1));
for (let i = 0; i < iterations; i++) {
  try {
    users[i % vus].default();
  } catch (e) {
    errors.push(String(e?.stack ?? e));
  }
}
const summary = users[0].handleSummary({});
parentPort.postMessage({
  type: 'done',
  requests,
  points,
  errors,
  sleeps,
  options: users[0].options,
  summary,
});
