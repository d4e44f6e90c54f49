/**
 * A small API for flow tests on 127.0.0.1: `POST /v1/login` returns a token per account,
 * `GET /v1/search` and `GET /v1/tracks/<id>/play` answer 401 without the right token. Every
 * protected call is recorded with the user its token belongs to and the track it asked for.
 */
import { startServer, type TestServer } from '../load/servers.js';

/** Accounts: user → password. */
export const ACCOUNTS: [string, string][] = Array.from({ length: 6 }, (_, i) => [
  `user${i}`,
  `pw-${i}-s3cret`,
]);

/** The server with what it saw. */
export interface FlowServer extends TestServer {
  logins: string[];
  plays: { user: string; track: string }[];
  unauthorized: number;
}

/** Starts the API. `emptyFor` users get an empty search result (their capture finds nothing). */
export async function startFlowServer(emptyFor: string[] = []): Promise<FlowServer> {
  const logins: string[] = [];
  const plays: { user: string; track: string }[] = [];
  const counts = { unauthorized: 0 };
  const passwords = new Map(ACCOUNTS);
  const userOf = (auth: string | undefined) => {
    const m = /^Bearer tok-(user\d+)$/.exec(auth ?? '');
    return m && passwords.has(m[1]) ? m[1] : undefined;
  };
  const s = await startServer((req, res, body) => {
    const url = req.url ?? '';
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    if (req.method === 'POST' && url === '/v1/login') {
      let b: { user?: string; password?: string } = {};
      try {
        b = JSON.parse(body);
      } catch {}
      if (b.user && passwords.get(b.user) === b.password) {
        logins.push(b.user);
        return json(200, { token: `tok-${b.user}` });
      }
      return json(401, { error: 'bad credentials' });
    }
    const user = userOf(req.headers.authorization);
    if (!user) {
      counts.unauthorized++;
      return json(401, { error: 'no token' });
    }
    if (url.startsWith('/v1/search'))
      return json(200, { results: emptyFor.includes(user) ? [] : [{ id: `trk-${user}` }] });
    const m = /^\/v1\/tracks\/([^/]+)\/play$/.exec(url);
    if (m) {
      plays.push({ user, track: decodeURIComponent(m[1]) });
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('ok');
    }
    json(404, { error: 'not found' });
  });
  return Object.assign(s, {
    logins,
    plays,
    get unauthorized() {
      return counts.unauthorized;
    },
  });
}

/** The flow as a scenario file's text; `play` checks can be changed with `playCheck`. */
export function flowScenario(
  target: string,
  opts: { playCheck?: string; budgets?: string; extra?: string } = {},
): string {
  return `name: flows-e2e
duration: 2s
users:
  arrivals: poisson(20/s)
  journeys: { play: { steps: [svc] } }
services: { svc: { time: exp(1ms) } }
budgets:
  ${opts.budgets ?? 'play.checks: "> 99.9%"'}
load:
  target: ${target}
  connections: 8
  profile: [ { hold: 40/s, for: 1s } ]
  feeds:
    accounts: { file: accounts.csv, order: sequential, columns: { password: { secret: true } } }
  session:
    - post: { url: /v1/login, json: { user: "{{feed.accounts.user}}", password: "{{feed.accounts.password}}" },
              capture: { token: json.token }, check: { status: 200 } }
  requests:
    play:
      - get: { url: "/v1/search?q={{faker.music.songName}}", headers: { authorization: "Bearer {{token}}" },
               capture: { track: "json.results[0].id" }, check: { status: 200, json.results: not-empty } }
      - think: exp(5ms)
      - get: { url: "/v1/tracks/{{track}}/play", headers: { authorization: "Bearer {{token}}" },
               check: { ${opts.playCheck ?? 'status: [200, 206], body: contains "ok", latency: < 10s'} } }
${opts.extra ?? ''}`;
}
