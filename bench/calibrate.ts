/**
 * Calibration benchmark: `backline calibrate` on 1 M Zipkin spans (a gateway calling three services
 * in parallel, 7 spans per trace), timed from reading the file to the fits, with the peak resident
 * memory of a child process that does only that (so generating the file does not count).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calibrate } from '../results/calibrate/calibrate.js';
import { readTraces } from '../results/calibrate/read-traces.js';

/** One benchmark line. */
export interface CalibrateLine {
  bench: 'calibrate';
  spans: number;
  fileMB: number;
  seconds: number;
  /** CPU seconds (user + system) of the calibrating process: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  spansPerSec: number;
  peakRssMB: number;
}

const SERVICES = ['gateway', 'auth', 'metadata', 'license'];

/** Writes `spans` Zipkin spans to `path` (streamed, never one big string). */
export function writeSpans(path: string, spans: number): void {
  const fd = openSync(path, 'w');
  let seed = 1;
  const u = () => ((seed = (seed * 48271) % 2147483647) + 0.5) / 2147483647;
  const logn = (median: number) =>
    Math.max(
      1,
      Math.round(median * Math.exp(0.7 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()))),
    );
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  let id = 0;
  let written = 0;
  let buf: string[] = ['['];
  const span = (o: object) => {
    buf.push(`${written > 0 ? ',' : ''}${JSON.stringify(o)}`);
    written++;
  };
  for (let t = 0; written < spans; t++) {
    const traceId = hex(t, 32);
    const gw = hex(++id, 16);
    const start = 1_767_225_600_000_000 + t * 1000;
    const calls: { id: string; d: number; svc: string }[] = [];
    let longest = 0;
    for (const svc of SERVICES.slice(1)) {
      const d = logn(2000);
      calls.push({ id: hex(++id, 16), d, svc });
      longest = Math.max(longest, d + 200);
    }
    const self = logn(2000);
    span({
      traceId,
      id: gw,
      name: 'gateway.play',
      kind: 'SERVER',
      timestamp: start,
      duration: self + longest,
      localEndpoint: { serviceName: 'gateway' },
    });
    for (const c of calls) {
      if (written >= spans) break;
      span({
        traceId,
        id: c.id,
        parentId: gw,
        name: c.svc,
        kind: 'CLIENT',
        timestamp: start + self,
        duration: c.d + 200,
        localEndpoint: { serviceName: 'gateway' },
        remoteEndpoint: { serviceName: c.svc },
      });
      if (written >= spans) break;
      span({
        traceId,
        id: hex(++id, 16),
        parentId: c.id,
        name: c.svc,
        kind: 'SERVER',
        timestamp: start + self + 100,
        duration: c.d,
        localEndpoint: { serviceName: c.svc },
      });
    }
    if (buf.length > 10_000) {
      writeSync(fd, buf.join(''));
      buf = [];
    }
  }
  buf.push(']');
  writeSync(fd, buf.join(''));
  closeSync(fd);
}

/** Calibrates the file in this process and prints one JSON object (the child's side). */
function child(path: string): void {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const c = calibrate(readTraces(path), path, SERVICES);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      spans: c.spans,
      services: c.services.length,
      maxRssKB: process.resourceUsage().maxRSS,
    }),
  );
}

/** Runs the benchmark on `spans` spans. */
export function benchCalibrate(spans = 1_000_000): CalibrateLine {
  const path = join(tmpdir(), `backline-bench-calibrate-${process.pid}.json`);
  try {
    writeSpans(path, spans);
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', path], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`calibrate child failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as {
      seconds: number;
      cpuSeconds: number;
      spans: number;
      maxRssKB: number;
    };
    return {
      bench: 'calibrate',
      spans: out.spans,
      fileMB: Math.round(statSync(path).size / 1e5) / 10,
      seconds: Math.round(out.seconds * 100) / 100,
      cpuSeconds: Math.round(out.cpuSeconds * 100) / 100,
      spansPerSec: Math.round(out.spans / out.seconds),
      peakRssMB: Math.round(out.maxRssKB / 1024),
    };
  } finally {
    rmSync(path, { force: true });
  }
}

if (process.argv[2] === '--child' && process.argv[3]) child(process.argv[3]);
