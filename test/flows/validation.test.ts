import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenarios/load.js';
import { problemsOf } from './problems.js';
import { flowScenario } from './server.js';

const tmp = mkdtempSync(join(tmpdir(), 'backline-flow-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(join(tmp, 'accounts.csv'), 'user,password\nann,"p,w ""x"""\r\nbob,pw2\n');

/** The located messages of loading `text` as a scenario file in the temp folder. */
const problems = (text: string, name = 's.yaml') => problemsOf(join(tmp, name), text);

describe('flow validation', () => {
  it('accepts the issue flow: steps, feed resolved beside the scenario, session, captures and checks', () => {
    const f = join(tmp, 'ok.yaml');
    writeFileSync(f, flowScenario('http://127.0.0.1:1'));
    const s = loadScenario(f);
    const load = s.load!;
    expect(load.feeds.accounts).toEqual({
      file: join(tmp, 'accounts.csv'),
      order: 'sequential',
      exhausted: 'stop',
      secret: ['password'],
    });
    expect(load.session?.[0]).toMatchObject({
      kind: 'request',
      name: 'post /v1/login',
      method: 'POST',
      capture: [{ name: 'token', from: 'json', path: ['token'] }],
      check: [{ name: 'status', kind: 'status', ranges: [[200, 200]] }],
    });
    const play = load.requests.play;
    expect(play.map((x) => x.kind)).toEqual(['request', 'think', 'request']);
    expect(play[0]).toMatchObject({
      capture: [{ name: 'track', from: 'json', path: ['results', 0, 'id'] }],
      check: [
        { name: 'status', kind: 'status' },
        { name: 'json.results', kind: 'json', path: ['results'], op: 'not-empty' },
      ],
    });
    expect(play[2]).toMatchObject({
      name: 'get /v1/tracks',
      check: [
        {
          kind: 'status',
          ranges: [
            [200, 200],
            [206, 206],
          ],
        },
        { kind: 'body', op: 'contains', value: 'ok' },
        { kind: 'latency', op: '<', ms: 10_000 },
      ],
    });
  });

  it('refuses a variable no earlier step captures, with its position and a suggestion', () => {
    const text = flowScenario('http://127.0.0.1:1').replace(
      'Bearer {{token}}" },\n               capture',
      'Bearer {{tokn}}" },\n               capture',
    );
    expect(problems(text)).toEqual(['20:9 unknown variable {{tokn}}; did you mean `token`?']);
  });

  it('refuses a missing feed file and an unknown column at validation', () => {
    const gone = flowScenario('http://127.0.0.1:1').replace('file: accounts.csv', 'file: nope.csv');
    expect(problems(gone)[0]).toBe(`14:23 feed file not found: ${join(tmp, 'nope.csv')}`);
    const col = flowScenario('http://127.0.0.1:1').replace('feed.accounts.password', 'feed.accounts.pasword');
    expect(problems(col)).toEqual(['16:7 feed `accounts` has no column `pasword`; did you mean `password`?']);
  });

  it('refuses a feed name with `-` where it is declared, since {{feed.<name>.<column>}} spells names like variables', () => {
    const text = flowScenario('http://127.0.0.1:1')
      .replace('accounts: {', 'my-accounts: {')
      .replaceAll('feed.accounts.', 'feed.my-accounts.');
    expect(problems(text)).toEqual([
      '14:5 bad feed name `my-accounts`: use letters, digits and `_` (it is read as {{feed.<name>.<column>}})',
    ]);
  });

  it('refuses CR, LF and NUL in header values and non-ASCII values, located', () => {
    const text = flowScenario('http://127.0.0.1:1').replace(
      'headers: { authorization: "Bearer {{token}}" },\n               capture',
      'headers: { x-tok: "a\\r\\nContent-Length: 0\\r\\n\\r\\nGET /admin HTTP/1.1", x-jp: "日本" },\n               capture',
    );
    expect(problems(text)).toEqual([
      '20:80 header value "a\\r\\nContent-Length: 0\\r\\n\\r\\nGET /admin HTTP/1.1" contains CR, LF or NUL',
      '20:139 header value "日本" has characters outside visible ASCII; percent-encode them',
    ]);
  });

  it('explains bad captures, checks and step forms', () => {
    const text = flowScenario('http://127.0.0.1:1', { playCheck: 'status: 2xx, bodyy: contains "x"' })
      .replace('capture: { token: json.token }', 'capture: { token: jsn.token }')
      .replace('- think: exp(5ms)', '- { think: exp(5ms), get: /x }');
    expect(problems(text)).toEqual([
      '17:33 bad capture `jsn.token`: expected `json.<path>`, `header.<name>`, `regex "<re>"` or `status`',
      '22:9 a step is one request or one think time, got `get` and `think`',
      '24:45 unknown check `bodyy`: checks are `status`, `json.<path>`, `body`, `header.<name>` and `latency`',
    ]);
  });
});
