/**
 * The report's header: scenario name, verdict badge and what was run (kind, seed, replications,
 * window, target). The target URL is stripped of credentials and query before it is shown.
 */
import type { RunResult } from '../../results/run-result.js';
import { fmt } from '../charts.js';
import { escapeHtml as esc } from '../escape.js';

function verdictOf(r: RunResult): { cls: string; text: string } {
  const budgets = r.budgets;
  if (budgets.length === 0) return { cls: 'none', text: 'no budgets' };
  if (budgets.some((b) => b.pass === false)) return { cls: 'fail', text: 'FAIL' };
  if (budgets.some((b) => b.pass === null)) return { cls: 'unsure', text: 'UNSURE' };
  return { cls: 'pass', text: 'PASS' };
}

/** The `<header>`: name, verdict, run facts, and a note when a predicted result is drawn beside. */
export function header(r: RunResult, p?: RunResult): string {
  const v = verdictOf(r);
  const bits = [
    `${r.kind === 'load' ? 'load test' : 'simulation'}${r.tool ? ` (${r.tool})` : ''}`,
    r.seed !== undefined ? `seed ${r.seed}` : '',
    `${r.replications ?? 1} replication(s)`,
    r.window ? `window ${fmt(r.window.start)} s – ${fmt(r.window.end)} s` : '',
    r.events !== undefined ? `${r.events.toLocaleString('en-US')} events` : '',
    r.target?.url ? `target ${safeUrl(r.target.url)}` : '',
    r.profile ? `profiled with ${r.profile.tool}: ${r.profile.report}` : '',
    r.scenario?.hash ? `scenario hash ${r.scenario.hash.slice(0, 12)}` : '',
  ].filter(Boolean);
  return `<header><h1>${esc(r.scenario?.name ?? 'scenario')} <span class="verdict ${v.cls}">${v.text}</span></h1>
<p class="meta">${esc(bits.join(' · '))}${r.partial ? ' · <strong>partial: stopped early</strong>' : ''}</p>
${p ? `<p class="meta">Predicted (${esc(p.kind)}${p.seed !== undefined ? `, seed ${esc(p.seed)}` : ''}) is drawn dashed beside measured (${esc(r.kind)}).</p>` : ''}</header>`;
}

/** Drops credentials from a URL so they never reach a report. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
