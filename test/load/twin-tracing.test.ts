/**
 * W3C `traceparent` through the twin: an OTLP/HTTP receiver written here decodes the spans the twin
 * exports and checks the tree (edge → call → service → call → service) and that a client's trace id
 * and parent continue; the Zipkin spans are the same spans; malformed `traceparent` values are
 * ignored as the W3C recommendation says (a new trace starts), never a crash.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceparent } from '../../loadtests/twin/trace-context.js';
import { startTwin, type Twin } from '../../loadtests/twin/twin.js';
import { loadScenario } from '../../scenarios/load.js';
import { zipkinSpanProblems } from '../../sim/topology/traces.js';

const FIXTURE = 'test/metrics/fixtures/twin-trace.yaml';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

/** A span as decoded from OTLP/HTTP JSON, with its resource's service name. */
interface Decoded {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  start: number;
  end: number;
  attributes: Record<string, string>;
  status: number;
}

const SERVER = 2;
const CLIENT = 3;

/** The parts of OTLP/HTTP JSON (ExportTraceServiceRequest) read here. */
interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: {
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano: string;
        endTimeUnixNano: string;
        attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
        status?: { code?: number };
      }[];
    }[];
  }[];
}

function decode(body: OtlpTraces): Decoded[] {
  const out: Decoded[] = [];
  for (const rs of body.resourceSpans) {
    const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans)
        out.push({
          service,
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? '',
          name: s.name,
          kind: s.kind,
          start: Number(BigInt(s.startTimeUnixNano) / 1000n),
          end: Number(BigInt(s.endTimeUnixNano) / 1000n),
          attributes: Object.fromEntries(
            (s.attributes ?? []).map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue)]),
          ),
          status: s.status?.code ?? 0,
        });
  }
  return out;
}

/** GET `url` with `headers`; the status. */
async function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  const r = await fetch(url, { headers });
  await r.arrayBuffer();
  return r.status;
}

describe('traceparent through the twin, exported over OTLP/HTTP and as Zipkin', () => {
  const received: { path: string; type: string; body: OtlpTraces }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        type: String(req.headers['content-type']),
        body: JSON.parse(body),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  let twin: Twin;
  let spans: Decoded[] = [];
  const hostile: Record<string, string> = {
    'wrong length': `00-${TRACE}-${PARENT}-011`,
    short: `00-${TRACE.slice(1)}-${PARENT}-01`,
    uppercase: `00-${TRACE.toUpperCase()}-${PARENT}-01`,
    'zero trace id': `00-${'0'.repeat(32)}-${PARENT}-01`,
    'zero parent id': `00-${TRACE}-${'0'.repeat(16)}-01`,
    'version ff': `ff-${TRACE}-${PARENT}-01`,
    'two values': `00-${TRACE}-${PARENT}-01, 00-${TRACE}-${PARENT}-01`,
    huge: `00-${TRACE}-${PARENT}-01${'-x'.repeat(4000)}`,
    'not hex': `00-${TRACE.slice(0, 31)}g-${PARENT}-01`,
  };
  /** The edge span of each hostile request, by case name (the request says which in its path). */
  const hostileUsers = Object.keys(hostile);

  beforeAll(async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const otlp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    twin = await startTwin(loadScenario(FIXTURE, []), { tracing: { otlp, zipkin: true } });
    const e = twin.endpoints.url;
    // Five browse journeys continuing the client's trace, five starting their own, one the client
    // asked not to sample (flags 00), and each hostile traceparent once (user id = its index + 1000).
    for (let i = 0; i < 5; i++)
      expect(await get(`${e}/journeys/browse`, { traceparent: `00-${TRACE}-${PARENT}-01` })).toBe(200);
    for (let i = 0; i < 5; i++) expect(await get(`${e}/journeys/browse`)).toBe(200);
    const unsampled = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    expect(await get(`${e}/journeys/price`, { traceparent: `00-${unsampled}-${PARENT}-00` })).toBe(200);
    for (const [i, name] of hostileUsers.entries())
      expect(
        await get(`${e}/journeys/price`, { traceparent: hostile[name], 'x-backline-user': String(1000 + i) }),
      ).toBe(200);
    await twin.stop();
    spans = received.flatMap((r) => decode(r.body));
  }, 30_000);
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it('posts OTLP/HTTP JSON to /v1/traces', () => {
    expect(received.length).toBeGreaterThan(0);
    expect(new Set(received.map((r) => `${r.path} ${r.type}`))).toEqual(
      new Set(['/v1/traces application/json']),
    );
  });

  it("continues the client's trace id and parent at the edge, and every hop stays in it", () => {
    const continued = spans.filter((s) => s.traceId === TRACE);
    // Per browse journey: edge (SERVER, CLIENT api.browse), api (SERVER, 3 CLIENTs), catalog (SERVER,
    // CLIENT storage), storage, reviews and pricing SERVER spans: 11.
    expect(continued).toHaveLength(5 * 11);
    const edges = continued.filter((s) => s.service === 'edge' && s.kind === SERVER);
    expect(edges).toHaveLength(5);
    for (const e of edges) {
      expect(e.parentSpanId).toBe(PARENT);
      expect(e.name).toBe('browse');
      expect(e.attributes['http.response.status_code']).toBe('200');
    }
  });

  it('links every span to its parent: SERVER spans under the CLIENT span of their call', () => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (s: Decoded) => byId.get(s.parentSpanId);
    const browse = spans.filter((s) => s.traceId !== TRACE && s.service === 'edge' && s.name === 'browse');
    expect(browse).toHaveLength(5);
    for (const root of browse) expect(root.parentSpanId).toBe('');
    // (pricing is also a journey of its own, called from the edge: those traces are checked below.)
    const browseTraces = new Set(
      spans.filter((s) => s.service === 'edge' && s.name === 'browse').map((s) => s.traceId),
    );
    const expectations: [string, string, string, string][] = [
      // service of the SERVER span, its name, the calling service, the CLIENT span's name
      ['api', 'browse', 'edge', 'api.browse'],
      ['catalog', 'list', 'api', 'catalog.list'],
      ['storage', 'storage', 'catalog', 'storage'],
      ['reviews', 'reviews', 'api', 'reviews'],
      ['pricing', 'pricing', 'api', 'pricing'],
    ];
    for (const [service, name, caller, call] of expectations) {
      const servers = spans.filter(
        (s) => browseTraces.has(s.traceId) && s.service === service && s.kind === SERVER && s.name === name,
      );
      expect(servers.length, service).toBeGreaterThanOrEqual(10);
      for (const s of servers) {
        const client = parentOf(s);
        expect({ service, kind: client?.kind, caller: client?.service, name: client?.name }).toEqual({
          service,
          kind: CLIENT,
          caller,
          name: call,
        });
        // The CLIENT span belongs to the caller's SERVER span, in the same trace, and covers the call.
        const callerSpan = parentOf(client!);
        expect(callerSpan?.service).toBe(caller);
        expect(callerSpan?.kind).toBe(SERVER);
        expect(new Set([s.traceId, client!.traceId, callerSpan!.traceId]).size).toBe(1);
        expect(s.start).toBeGreaterThanOrEqual(client!.start);
        expect(s.end).toBeLessThanOrEqual(client!.end);
      }
    }
  });

  it('keeps no span of a trace the client marked unsampled', () => {
    expect(spans.filter((s) => s.traceId === 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toHaveLength(0);
  });

  it('ignores malformed traceparent values: each request starts a new trace of its own', () => {
    const priceRoots = spans.filter((s) => s.service === 'edge' && s.kind === SERVER && s.name === 'price');
    // One per hostile value (the unsampled one exported nothing).
    expect(priceRoots).toHaveLength(hostileUsers.length);
    for (const r of priceRoots) {
      expect(r.parentSpanId).toBe('');
      expect(r.traceId).not.toBe(TRACE);
      expect(r.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(priceRoots.map((r) => r.traceId)).size).toBe(hostileUsers.length);
  });

  it('writes the same spans as valid Zipkin v2', () => {
    const zipkin = twin.zipkin()!;
    expect(zipkin.dropped).toBe(0);
    expect(zipkin.spans).toHaveLength(spans.length);
    for (const z of zipkin.spans) expect(zipkinSpanProblems(z)).toEqual([]);
    const otlp = new Map(spans.map((s) => [s.spanId, s]));
    for (const z of zipkin.spans) {
      const o = otlp.get(z.id);
      expect({ trace: z.traceId, parent: z.parentId ?? '', service: z.localEndpoint.serviceName }).toEqual({
        trace: o?.traceId,
        parent: o?.parentSpanId,
        service: o?.service,
      });
      // Both carry the start to the microsecond.
      expect(Math.abs(z.timestamp - o!.start)).toBeLessThanOrEqual(1);
    }
  });
});

describe('parseTraceparent', () => {
  const valid = `00-${TRACE}-${PARENT}-01`;

  it('reads a valid header and a later version with more fields', () => {
    expect(parseTraceparent(valid)).toEqual({ version: '00', traceId: TRACE, parentId: PARENT, flags: 1 });
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-00-what-comes-next`)?.flags).toBe(0);
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-03`)?.traceId).toBe(TRACE);
  });

  it('ignores what the W3C recommendation says to ignore', () => {
    const bad = [
      undefined,
      [valid, valid],
      '',
      `${valid}\r\n`,
      `${valid}\n`,
      `00-${TRACE}\r\n-${PARENT}-01`,
      `${valid}-`,
      `00-${TRACE}-${PARENT}-1`,
      `00-${TRACE.toUpperCase()}-${PARENT}-01`,
      `00-${TRACE}-${PARENT.toUpperCase()}-01`,
      `00-${'0'.repeat(32)}-${PARENT}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `ff-${TRACE}-${PARENT}-01`,
      `01-${TRACE}-${PARENT}-01x`,
      ` ${valid}`,
      `00_${TRACE}_${PARENT}_01`,
      '__proto__',
      `00-${TRACE}-${PARENT}-01${'0'.repeat(100_000)}`,
    ];
    for (const b of bad) expect(parseTraceparent(b), JSON.stringify(b)?.slice(0, 80)).toBeUndefined();
  });
});

describe('a traceparent with CR/LF on the wire', () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTwin(loadScenario(FIXTURE, []), { tracing: { zipkin: true } });
  });
  afterAll(() => twin.stop());

  it('is refused by the HTTP parser or ignored, and the twin keeps serving', async () => {
    const { port } = new URL(twin.endpoints.url);
    const raw = (header: string) =>
      new Promise<string>((resolve) => {
        const s = net.connect(Number(port), '127.0.0.1', () =>
          s.end(
            `GET /journeys/price HTTP/1.1\r\nhost: x\r\ntraceparent: ${header}\r\nconnection: close\r\n\r\n`,
          ),
        );
        let out = '';
        s.on('data', (c) => (out += c));
        s.on('close', () => resolve(out.split('\r\n')[0]));
        s.on('error', () => resolve('error'));
      });
    // A bare LF inside the value; a CR alone; the value split over a folded line.
    const answers = [
      await raw(`00-${TRACE}\n-${PARENT}-01`),
      await raw(`00-${TRACE}\r-${PARENT}-01`),
      await raw(`00-${TRACE}-${PARENT}-01\r\n -folded`),
    ];
    for (const a of answers) expect(a).toMatch(/^HTTP\/1\.1 (200|400)/);
    expect(await get(`${twin.endpoints.url}/journeys/price`)).toBe(200);
    const roots = twin.zipkin()!.spans.filter((s) => s.localEndpoint.serviceName === 'edge');
    // Whatever got through started a trace of its own: none continued the header's trace id.
    for (const r of roots) expect(r.traceId).not.toBe(TRACE);
    expect(roots.length).toBeGreaterThanOrEqual(1);
  });
});
