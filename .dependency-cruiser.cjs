/**
 * Import directions (docs/architecture.md), enforced in `npm run lint`.
 * Each rule names a folder and what it must not import.
 */
const ours = '^(math|scenarios|sim|loadtests|results|reports|metrics|cli|bench|test)/';
module.exports = {
  forbidden: [
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      from: { pathNot: '^(cli|bench|test)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'math-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^math/' },
      to: { path: ours, pathNot: '^math/' },
    },
    {
      name: 'results-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^results/', pathNot: '^results/calibrate/' },
      to: { path: ours, pathNot: '^results/' },
    },
    {
      // Calibration turns measurements back into a scenario: it reads the scenario's types and the
      // distributions' quantiles and scaling, nothing that runs.
      name: 'calibrate-only-math-scenarios-results',
      severity: 'error',
      from: { path: '^results/calibrate/' },
      to: { path: ours, pathNot: '^((math|scenarios|results)/|sim/kernel/distributions\\.ts$)' },
    },
    {
      name: 'reports-only-results',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: ours, pathNot: '^(results|reports)/' },
    },
    {
      name: 'scenarios-only-math-results',
      severity: 'error',
      from: { path: '^scenarios/' },
      to: { path: ours, pathNot: '^(math|results|scenarios)/' },
    },
    {
      name: 'sim-only-math-scenarios-results',
      severity: 'error',
      from: { path: '^sim/' },
      to: { path: ours, pathNot: '^(math|results|scenarios|sim)/' },
    },
    {
      // The kernel (event list, clock, RNG, samplers, statistics) knows no model and no scenario.
      name: 'sim-kernel-only-math',
      severity: 'error',
      from: { path: '^sim/kernel/' },
      to: { path: ours, pathNot: '^(math|sim/kernel)/' },
    },
    {
      // Resilience primitives are pure state machines the twin (loadtests/) runs too: no engine.
      name: 'sim-resilience-no-engine',
      severity: 'error',
      from: { path: '^sim/resilience/' },
      to: { path: '^sim/', pathNot: '^sim/(kernel|resilience)/' },
    },
    {
      // The stations engine stands alone: the topology engine builds on it, not the other way.
      name: 'sim-queueing-no-topology-content',
      severity: 'error',
      from: { path: '^sim/queueing/' },
      to: { path: '^sim/', pathNot: '^sim/(kernel|queueing)/' },
    },
    {
      // Content models answer through a callback; they never reach into the request engine.
      name: 'sim-content-no-engine',
      severity: 'error',
      from: { path: '^sim/content/' },
      to: { path: '^sim/', pathNot: '^sim/(kernel|content)/' },
    },
    {
      name: 'sim-topology-not-runner',
      severity: 'error',
      from: { path: '^sim/topology/' },
      to: { path: '^sim/[^/]+$' },
    },
    {
      name: 'loadtests-only-kernel-resilience-of-sim',
      severity: 'error',
      from: { path: '^loadtests/' },
      // The twin sleeps the simulator's own latency matrix between regions (a pure model), writes
      // its spans in the simulator's Zipkin span shape and places store keys by the simulator's
      // own pure rule (ring, regions, consistency); its CDN caches by bytes with the simulator's
      // byte caches and catalog (item sizes, popularity), both pure of the engine.
      to: {
        path: ours,
        pathNot:
          '^((math|results|scenarios|loadtests|sim/kernel|sim/resilience)/|sim/topology/(network|traces)\\.ts$|sim/content/(store-placement|store-health|cache|catalog)\\.ts$)',
      },
    },
    {
      name: 'metrics-only-results-loadtests',
      comment: 'The exporters read results and snapshot types; they never drive a run.',
      severity: 'error',
      from: { path: '^metrics/' },
      to: { path: ours, pathNot: '^(results|loadtests|metrics)/' },
    },
    {
      name: 'only-cli-imports-metrics',
      severity: 'error',
      from: { path: ours, pathNot: '^(cli|metrics|test|bench)/' },
      to: { path: '^metrics/' },
    },
    {
      name: 'library-not-test-or-bench',
      severity: 'error',
      from: { path: '^(math|scenarios|sim|loadtests|results|reports|cli|metrics)/' },
      to: { path: '^(test|bench)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: ours,
    exclude: { path: '(^|/)(node_modules|dist|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
