/**
 * `capacity` as people read it: one progress line per probe as each round ends (with the bracket so
 * far and an estimate of the time left), then the analytic and simulated answers, how sure the
 * answer is (each budget's 95 % interval over independent seeds), and every probe.
 */
import type { CapacityProgress, CapacityResult, Probe } from './capacity-result.js';
import { table } from './format.js';
import { formatNumber } from './sweep-grid.js';

const rate = (x: number) => (Number.isFinite(x) ? `${formatNumber(Number(x.toPrecision(4)))}/s` : '∞');
const num = (v: number) => (Number.isFinite(v) ? formatNumber(Number(v.toPrecision(4))) : 'no data');
const secs = (s: number) => (s < 90 ? `${Math.ceil(s)} s` : `${Math.ceil(s / 60)} min`);

/** The stderr lines after a round: its probes, the bracket and the time left. */
export function formatRound(round: readonly Probe[], g: CapacityProgress): string {
  const probes = round.map(
    (p, i) =>
      `probe ${g.done - round.length + i + 1} ${rate(p.rate)}: ${p.values.map(num).join(', ')} ${p.pass ? 'pass' : 'fail'}`,
  );
  const tail = `round ${g.round} · interval [${rate(g.interval[0])}, ${rate(g.interval[1])}] · about ${g.roundsLeft} more round(s), ~${secs(g.etaSeconds)} left`;
  return `${[...probes, tail].join('\n')}\n`;
}

/** The human report. */
export function formatCapacity(c: CapacityResult): string {
  const runs = `${c.replications} replication${c.replications === 1 ? '' : 's'} per rate`;
  const lines = [
    `${c.scenario}: capacity under ${c.budgets.join(' and ')}  (${runs}, ${c.perRound} rates per round, ${formatNumber(c.duration)} s simulated each${c.quick ? ', --quick' : ''})`,
    '',
  ];
  const rows = [['', 'arrival rate', 'how']];
  c.analytic.forEach((a, i) => {
    rows.push([`analytic${c.analytic.length > 1 ? ` (${c.budgets[i]})` : ''}`, rate(a.rate), a.method]);
    rows.push(['saturation', rate(a.saturation), `bottleneck ${a.bottleneck} at ρ = 1`]);
  });
  rows.push([
    'simulated',
    c.rate === undefined ? 'none' : rate(c.rate),
    c.rate === undefined
      ? `no probed rate met the budget (lowest ${rate(c.interval[1])})`
      : `answer in [${rate(c.interval[0])}, ${rate(c.interval[1])}] (highest passing, lowest failing: the search's resolution, one seed)`,
  ]);
  // The last column is prose: keep it left-aligned after the aligned numbers.
  const aligned = table(rows.map((r) => r.slice(0, 2))).split('\n');
  lines.push(...aligned.map((l, i) => `${l}  ${rows[i][2]}`));
  if (c.confidence) lines.push('', ...confidenceLines(c));
  lines.push('', 'probes:');
  const prows = [['rate', ...c.budgets, 'verdict']];
  for (const p of [...c.probes].sort((a, b) => a.rate - b.rate))
    prows.push([
      rate(p.rate),
      ...p.values.map((v, i) => {
        const ci = p.cis[i];
        return ci ? `${num(v)} [${num(ci[0])}, ${num(ci[1])}]` : num(v);
      }),
      p.pass ? 'pass' : 'FAIL',
    ]);
  lines.push(table(prows));
  if (c.note) lines.push('', `note: ${c.note}`);
  return `${lines.join('\n')}\n`;
}

/** How sure the answer is: every budget over the independent seeds, and a one-line conclusion. */
function confidenceLines(c: CapacityResult): string[] {
  const k = c.confidence;
  if (!k) return [];
  const rows = [['budget', 'per seed', 'mean', '95 % interval', 'verdict']];
  for (const b of k.budgets)
    rows.push([
      b.expr,
      b.values.map(num).join(' · '),
      num(b.mean),
      b.ci ? `[${num(b.ci[0])}, ${num(b.ci[1])}]` : '–',
      b.verdict,
    ]);
  const unsure = k.budgets.filter((b) => b.verdict !== 'met');
  const conclusion =
    unsure.length === 0
      ? `every budget's 95 % interval is within its limit at ${rate(k.rate)}: the answer holds across seeds.`
      : `${unsure.map((b) => `${b.expr} is ${b.verdict}`).join(', ')} at ${rate(k.rate)} over ${k.seeds.length} seeds: the capacity may well be lower than ${rate(k.rate)}${c.quick ? ' (run without --quick for longer runs and more replications)' : ''}.`;
  return [
    `at ${rate(k.rate)} over ${k.seeds.length} independent seeds (${k.seeds.join(', ')}):`,
    table(rows),
    conclusion,
  ];
}
