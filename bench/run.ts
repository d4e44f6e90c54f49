/**
 * `npm run bench`: one JSON line per benchmark on stdout.
 *
 * Set `MMC_REF` to the path of a compiled C++ reference (`mmc_ref CUSTOMERS c λ μ seed`) to measure
 * it in the same run and print the ratio; absolute speeds on shared machines drift, ratios less so.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { benchCalibrate } from './calibrate.js';
import { benchCapacityQuick } from './capacity-quick.js';
import { benchContent } from './content.js';
import { benchDashboard } from './dashboard.js';
import { benchFlows } from './flows.js';
import { benchLoad } from './load.js';
import { benchLoadEngine } from './load-engine.js';
import { benchMmc } from './mmc.js';
import { benchStartup } from './startup.js';
import { benchSweep } from './sweep.js';
import { benchSweepShards } from './sweep-shards.js';
import { benchTopology } from './topology.js';

function line(o: object): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

const only = process.argv[2];
const want = (name: string) => !only || only === name;

if (want('kernel-mmc')) {
  // Warm the JIT on a first run, report the second.
  benchMmc();
  const mmc = benchMmc();
  line(mmc);
  const ref = process.env.MMC_REF;
  if (ref) {
    const out = execFileSync(ref, [String(mmc.customers), '4', '3.2', '1', '1'], { encoding: 'utf8' });
    const rate = Number(/rate=(\d+)/.exec(out)?.[1] ?? Number.NaN);
    line({
      bench: 'kernel-mmc-vs-ref',
      ref: rate,
      backline: mmc.customersPerSec,
      ratio: Math.round((mmc.customersPerSec / rate) * 1000) / 1000,
    });
  }
}

if (want('topology')) {
  // A short warm-up run for the JIT, then the full 10 simulated minutes.
  benchTopology(20);
  line(benchTopology());
}

if (want('dashboard-overhead')) line(await benchDashboard());

if (want('sweep-parallel')) line(await benchSweep());

if (want('sweep-shards')) line(await benchSweepShards());

if (want('capacity-quick')) line(await benchCapacityQuick());

if (want('content')) {
  // A small run warms the JIT; the full one is reported.
  benchContent(0.05);
  line(benchContent());
}

if (want('calibrate')) line({ ...benchCalibrate(), loadAverage: loadavg()[0] });

if (want('load-driver')) line(await benchLoad());

if (want('load-engine')) for (const l of await benchLoadEngine()) line(l);

if (want('flows')) line(await benchFlows());

if (want('startup')) line({ ...benchStartup(), loadAverage: loadavg()[0] });
