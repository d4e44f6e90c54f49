/**
 * Names are refused when unsafe: `__proto__`/`constructor`/`prototype` (and every other property
 * of a plain object) as a service or journey name, names over 128 characters (limit named); and
 * scenario text is escaped in messages, so an OSC sequence in a key cannot retitle the terminal.
 */
import { describe, expect, it } from 'vitest';
import { reportError } from '../../cli/exit.js';
import { ScenarioError } from '../../results/errors.js';
import { escapeControl } from '../../results/escape.js';
import { parseScenario } from '../../scenarios/load.js';

const scenario = (journey: string, service = 'server') =>
  [
    'name: t',
    'duration: 60s',
    'users:',
    '  arrivals: poisson(10/s)',
    '  journeys:',
    // An explicit key (`? key`), as YAML allows implicit keys only up to 1024 characters.
    `    ? ${JSON.stringify(journey)}`,
    `    : { steps: [${JSON.stringify(service)}] }`,
    'services:',
    `  ${JSON.stringify(service)}: { workers: 4, time: exp(10ms) }`,
    '',
  ].join('\n');

/** What `backline validate` would print for `text`, and its exit code. */
function validate(text: string): { code: number; stderr: string } {
  let stderr = '';
  const sink = {
    write: (s: string) => {
      stderr += s;
      return true;
    },
  } as NodeJS.WritableStream;
  try {
    parseScenario(text, 'x.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return { code: reportError(err, sink), stderr };
  }
  return { code: 0, stderr };
}

describe('unsafe names', () => {
  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])(
    'refuses %s as a journey and as a service name (exit 2, located)',
    (name) => {
      const j = validate(scenario(name));
      expect(j.code).toBe(2);
      expect(j.stderr).toMatch(new RegExp(`^x\\.yaml:6:7  \`${name}\` cannot`, 'm'));
      const s = validate(scenario('play', name));
      expect(s.code).toBe(2);
      expect(s.stderr).toMatch(new RegExp(`\`${name}\` cannot (name a service|be a key)`));
    },
  );

  it('refuses a name over 128 characters and says the limit; 128 is fine', () => {
    expect(validate(scenario('a'.repeat(128))).code).toBe(0);
    const long = validate(scenario('a'.repeat(1_000_000)));
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('(1000000 characters)` is longer than the limit of 128 characters');
    expect(long.stderr.length).toBeLessThan(2000);
  });

  it('escapes control characters: an OSC title and a screen clear in a key stay inert text', () => {
    const r = validate(scenario('a\u001b]0;PWNED\u0007\u001b[2J\r\nfake: line'));
    expect(r.code).toBe(2);
    expect([...r.stderr].filter((c) => c !== '\n' && (c < ' ' || c === '\u007f'))).toEqual([]);
    expect(r.stderr).toContain('a\\e]0;PWNED\\x07\\e[2J\\r\\nfake: line');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('escapeControl leaves printable text alone, including non-ASCII', () => {
    expect(escapeControl('play 日本 ✓')).toBe('play 日本 ✓');
    expect(escapeControl('\u009b31m')).toBe('\\x9b31m');
  });
});
