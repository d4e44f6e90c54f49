/**
 * Mistakes in scenarios: located as `file:line:col` with suggestions, absurd sizes refused.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from './load.js';
import { BASE, errorOf } from './test-support.js';

const mistakes = (name: string) => `test/fixtures/scenarios/mistakes/${name}.yaml`;

describe('mistakes are located with suggestions', () => {
  it('names unknown services, routes, stores, regions, targets, subjects and journeys', () => {
    const f = mistakes('references');
    expect(errorOf(() => loadScenario(f))).toBe(
      [
        `${f}:5:24  unknown region \`us-eats\`; did you mean \`us-east\`?`,
        `${f}:9:21  unknown route \`paly\` of service \`gateway\` in step; did you mean \`play\`?`,
        `${f}:9:35  step \`stream\` plays content through the CDN or P2P; add a \`cdn\` or \`p2p\` section`,
        `${f}:9:43  unknown store \`playlist\` in step; did you mean \`playlists\`?`,
        `${f}:12:24  unknown region \`us-west\`; did you mean \`eu-west\`?`,
        `${f}:15:14  unknown service \`auht\` in call; did you mean \`auth\`?`,
        `${f}:15:39  unknown route \`chek\` of service \`auth\` in call; did you mean \`check\`?`,
        `${f}:15:58  unknown service \`metadata\` in call; services are \`gateway\`, \`auth\``,
        `${f}:22:36  unknown route \`plays\` of service \`gateway\` in produce; did you mean \`play\`?`,
        `${f}:24:31  unknown service \`authh\` in fault; did you mean \`auth\`?`,
        `${f}:25:32  unknown region \`eu-wset\`; did you mean \`eu-west\`?`,
        `${f}:26:11  this fault starts at 660s, after the run ends (duration 600s)`,
        `${f}:27:5  this fault crashes 9 of \`stores.playlists\`, which has only 4`,
        `${f}:29:3  unknown subject \`paly\` in budget \`paly.p99\`; did you mean \`play\`?`,
        `${f}:30:3  \`utilization\` is not a metric of journey \`play\`; journeys have \`p50\`, \`p90\`, \`p95\`, \`p99\`, \`p999\`, \`mean\`, \`max\`, \`errors\`, \`throughput\`, \`checks\``,
        `${f}:31:3  \`p99\` is not a metric of service \`gateway\`; services have \`utilization\`, \`queue\`, \`rejected\`, \`breaker_open\`, \`expired\`, \`cost\``,
        `${f}:32:3  budget \`p2p.server_share\` needs a \`p2p\` section`,
        `${f}:34:11  target host \`10.0.0.1\` is not loopback and not in \`load.allow\`; add it there to allow traffic to it`,
        `${f}:36:5  unknown journey \`plya\` in load.requests; did you mean \`play\`?`,
      ].join('\n'),
    );
  });

  it('explains mistakes inside sections: units, kinds, keys, comparisons, stages, requests', () => {
    const f = mistakes('sections');
    expect(errorOf(() => loadScenario(f))).toBe(
      [
        `${f}:4:10  the regions' user shares add up to 60%, not 100%`,
        `${f}:5:24  unknown key \`intar\`; did you mean \`intra\`?`,
        `${f}:5:36  \`eu-west<->eu-west\` joins a region to itself; use \`intra\` for latency inside a region`,
        `${f}:7:15  \`population\` must be at most 1e9, got 2000G: per-user state would not fit in memory`,
        `${f}:8:13  bad arrivals \`ramp(0 -> 5k/s ovr 2m)\`: expected \`ramp(0 -> 5k/s over 2m)\``,
        `${f}:14:14  unknown balancer \`p2p\`; did you mean \`p2c\`?`,
        `${f}:16:31  bad share \`150%\`: must be between 0% and 100%`,
        `${f}:16:41  unknown key \`cal\`; did you mean \`call\`?`,
        `${f}:16:66  \`parallel\` needs at least one call`,
        `${f}:17:35  unknown jitter \`half\`; expected one of \`none\`, \`full\`, \`equal\``,
        `${f}:18:23  autoscale min (8) is above max (4)`,
        `${f}:19:52  \`auth\` has 100000 replicas × 1000 workers = 1.0e8 concurrent requests; more than 1e7 would not fit in memory`,
        `${f}:21:5  a fault needs one of \`crash\`, \`outage\`, \`slow\`, \`errors\`, \`partition\`, e.g. \`{ at: 1m, for: 30s, outage: eu-west }\``,
        `${f}:22:5  missing \`add\`: how much slower, e.g. \`add: 200ms\``,
        `${f}:23:41  \`rate\` belongs to \`errors\` faults, not \`outage\``,
        `${f}:25:13  bad budget \`play.p99: 400ms\`: expected a comparison like \`< 400ms\``,
        `${f}:26:3  unknown metric \`p98\` in budget \`play.p98\`; did you mean \`p90\`?`,
        `${f}:27:16  bad share \`0.5\`: missing \`%\`, e.g. \`65%\` (budget \`play.errors\`, e.g. \`< 0.5%\`)`,
        `${f}:30:38  \`ramp\` stages last \`over\`, not \`for\``,
        `${f}:30:44  missing \`for\`: how long, e.g. \`for: 1m\``,
        `${f}:32:11  bad request \`FETCH /v1/play\`: unknown method \`FETCH\`; expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS`,
      ].join('\n'),
    );
  });

  it('prints a call cycle at the call that closes it', () => {
    const f = mistakes('cycle');
    expect(errorOf(() => loadScenario(f))).toBe(`${f}:17:38  call cycle: a.x → b.y → c.z → a.x`);
  });

  it('finds a service calling its own route', () => {
    const text = BASE.replace('api: { time: exp(1ms) }', 'api: { time: exp(1ms), routes: { r: [api.r] } }');
    expect(errorOf(() => parseScenario(text, 's.yaml'))).toBe('s.yaml:8:40  call cycle: api.r → api.r');
  });

  it('catches a crash count that does not fit its target and reserved service names', () => {
    const text = BASE.concat(
      '  cdn: { time: exp(1ms) }\nfaults:\n  - { at: 1m, for: 1m, crash: api, shards: 1 }\n',
    );
    expect(errorOf(() => parseScenario(text, 's.yaml'))).toBe(
      [
        's.yaml:9:3  service name `cdn` is reserved: `cdn` means something else in steps and calls',
        's.yaml:11:36  `api` has replicas, not shards; write `replicas: 1`',
      ].join('\n'),
    );
  });
});

describe('absurd sizes are refused with a message, not an out-of-memory crash', () => {
  const cases: [string, string[], string][] = [
    [
      '10¹² users',
      ['users.population=1000G'],
      '`population` must be at most 1e9, got 1000G: per-user state would not fit in memory',
    ],
    [
      'a huge catalog',
      ['catalog={ items: 2G }'],
      '`items` must be at most 1e9, got 2G: per-item state would not fit in memory',
    ],
    [
      'a huge partition count',
      ['streams.s={ partitions: 2M, produce: api.x, consume: { time: exp(1ms) } }'],
      '`partitions` must be at most 1e6, got 2M: per-partition state would not fit in memory',
    ],
    [
      'a closed population beyond memory',
      ['users.arrivals=closed(users: 2G, think: exp(1s))'],
      'bad arrivals `closed(users: 2G, think: exp(1s))`: users must be at most 1e6, got 2G: per-user state would not fit in memory',
    ],
  ];
  it.each(cases)('%s', (_, sets, message) => {
    const err = errorOf(() => parseScenario(BASE, 's.yaml', sets));
    expect(err).toBe(`--set ${sets[0]}  ${message}`);
  });

  it('refuses a rate and duration implying more than 1e11 arrivals', () => {
    const text = BASE.replace('poisson(100/s)', 'poisson(1G/s)').replace('10m', '1000h');
    expect(errorOf(() => parseScenario(text, 's.yaml'))).toBe(
      's.yaml:4:13  1.0e9/s for 3600000s means about 3.6e15 arrivals per replication; more than 1e11 would not finish — shorten `duration` or lower the rate',
    );
  });
});
