import { describe, expect, it } from 'vitest';
import { arrivalTimes, buildPlan, expectedArrivals, fitProfile, rateAt } from '../../loadtests/plan.js';
import { isLoopback } from '../../loadtests/safety.js';
import type { ProfilePhase } from '../../loadtests/shape.js';
import { compileTemplate, Secrets, templateSources } from '../../loadtests/template.js';
import { pathPattern } from '../../loadtests/twin/edge.js';
import type { Scenario } from '../../scenarios/schema.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { scenarioOf } from './scenario.js';

/** Built through the schema, as `backline load` reads a scenario file. */
const base = scenarioOf(
  `name: plan
seed: 9
duration: 10s
catalog: { items: 1000, popularity: zipf(1.1) }
users:
  population: 500
  arrivals: poisson(10/s)
  journeys: { play: { weight: 3, steps: [gateway] }, search: { weight: 1, steps: [gateway] } }
services: { gateway: { time: 1ms } }
load:
  target: http://127.0.0.1:8080
  connections: 10
  maxRequests: 1000
  maxDuration: 60s
  profile: [{ ramp: 0 -> 100/s, over: 10s }, { hold: 100/s, for: 5s }]
  requests:
    play: { get: { url: "/v1/tracks/{{catalog.item}}/play", headers: { authorization: "Bearer \${env.BL_TOKEN}" } } }
    search: { post: { url: "/v1/search?q={{faker.music.songName}}", body: '{"user":{{user.id}}}' } }
`,
);

describe('request plan', () => {
  it('spaces arrivals so a ramp and a hold give the integral of the profile', () => {
    const phases: ProfilePhase[] = base.load!.profile;
    const times = [...arrivalTimes(phases, 'uniform', () => 0.5)];
    expect(expectedArrivals(phases)).toBe(1000);
    expect(times.length).toBe(1000);
    // Half the ramp's arrivals come in its last 30 % (the rate grows linearly).
    expect(times.filter((t) => t < 10 * Math.SQRT1_2).length).toBe(250);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(rateAt(phases, 5)).toBe(50);
    expect(rateAt(phases, 12)).toBe(100);
  });

  it('Poisson spacing keeps the mean rate', () => {
    const times = [
      ...arrivalTimes([{ kind: 'hold', rate: 200, for: 50 }], 'poisson', new RandomStreams(1).stream('t')),
    ];
    expect(Math.abs(times.length - 10_000) / 10_000).toBeLessThan(0.03);
  });

  it('fits a profile to a duration: cut when longer, last rate held when shorter', () => {
    expect(fitProfile(base.load!.profile, 5)).toEqual([{ kind: 'ramp', from: 0, to: 50, over: 5 }]);
    expect(fitProfile([{ kind: 'hold', rate: 7, for: 1 }], 3)).toEqual([
      { kind: 'hold', rate: 7, for: 1 },
      { kind: 'hold', rate: 7, for: 2 },
    ]);
  });

  it('renders the same requests for the same seed, journeys by weight', () => {
    process.env.BL_TOKEN = 'sekret-value';
    try {
      const a = buildPlan(base);
      const b = buildPlan(base);
      const ra = Array.from({ length: 400 }, () => a.next());
      const rb = Array.from({ length: 400 }, () => b.next());
      expect(ra).toEqual(rb);
      const plays = ra.filter((r) => r.journey === 0);
      expect(plays.length / 400).toBeGreaterThan(0.68);
      expect(plays.length / 400).toBeLessThan(0.82);
      expect(plays[0].method).toBe('GET');
      expect(plays[0].headers.authorization).toBe('Bearer sekret-value');
      expect(plays.every((r) => /^\/v1\/tracks\/\d+\/play$/.test(r.path))).toBe(true);
      // Zipf(1.1) over 1000 items: item 1 is the most requested.
      const items = plays.map((r) => Number(r.path.split('/')[3]));
      const ones = items.filter((i) => i === 1).length;
      expect(ones).toBeGreaterThan(items.filter((i) => i === 2).length);
      const search = ra.find((r) => r.journey === 1)!;
      expect(search.path).toMatch(/^\/v1\/search\?q=[^ ]+$/);
      expect(search.body).toMatch(/^\{"user":\d+\}$/);
      expect(a.secrets.redact('Bearer sekret-value')).toBe('Bearer ***');
    } finally {
      delete process.env.BL_TOKEN;
    }
  });

  it('refuses an unset secret, an unknown template and an unknown faker call by name', () => {
    expect(() => buildPlan(base)).toThrow(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: `${env.NAME}` is the scenario's secret syntax, not JS
      'environment variable BL_TOKEN is not set (used as ${env.BL_TOKEN})',
    );
    const src = templateSources(1);
    const secrets = new Secrets();
    expect(() => compileTemplate('/x/{{user.name}}', src, secrets)).toThrow(
      /unknown template `\{\{user.name\}\}`/,
    );
    expect(() => compileTemplate('{{faker.music.nope}}', src, secrets)).toThrow(
      /unknown faker call `faker.music.nope`/,
    );
  });

  it('the twin matches request paths to journeys', () => {
    const re = pathPattern('/v1/tracks/{{catalog.item}}/play')!;
    expect(re.test('/v1/tracks/123/play')).toBe(true);
    expect(re.test('/v1/tracks/123/pause')).toBe(false);
    expect(pathPattern('/v1/search?q={{faker.music.songName}}')!.test('/v1/search')).toBe(true);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '128.0.0.1', 'fe80::1'].some(isLoopback)).toBe(false);
  });
});

describe('secret targets', () => {
  it('resolves env secrets in load.target and keeps the value out of the result', async () => {
    const { startServer } = await import('./servers.js');
    const { startLoad } = await import('../../loadtests/autocannon/driver.js');
    const s = await startServer();
    process.env.BL_TARGET = s.url;
    try {
      const sc: Scenario = {
        ...base,
        load: {
          ...base.load!,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the scenario's secret syntax
          target: '${env.BL_TARGET}',
          profile: [{ kind: 'hold', rate: 20, for: 0.5 }],
          requests: {},
        },
      };
      const o = await startLoad(sc).outcome;
      expect(o.result.journeys.play.count + o.result.journeys.search.count).toBe(10);
      expect(JSON.stringify(o.result)).not.toContain(s.url);
      expect(o.result.target?.url).toBe('***/');
    } finally {
      delete process.env.BL_TARGET;
      await s.close();
    }
  });
});
