/**
 * Import directions from DESIGN.md, enforced in `npm run lint`.
 * Each rule names a folder and what it must not import.
 */
const ours = '^(scenarios|sim|loadtests|results|reports|cli|bench|test)/';
module.exports = {
  forbidden: [
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      from: { pathNot: '^(cli|bench|test)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'results-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^results/' },
      to: { path: ours, pathNot: '^results/' },
    },
    {
      name: 'reports-only-results',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: ours, pathNot: '^(results|reports)/' },
    },
    {
      name: 'scenarios-only-results',
      severity: 'error',
      from: { path: '^scenarios/' },
      to: { path: ours, pathNot: '^(results|scenarios)/' },
    },
    {
      name: 'sim-only-scenarios-results',
      severity: 'error',
      from: { path: '^sim/' },
      to: { path: ours, pathNot: '^(results|scenarios|sim)/' },
    },
    {
      name: 'loadtests-no-sim-models',
      severity: 'error',
      from: { path: '^loadtests/' },
      to: { path: ours, pathNot: '^(results|scenarios|loadtests|sim/kernel)/' },
    },
    {
      name: 'library-not-test-or-bench',
      severity: 'error',
      from: { path: '^(scenarios|sim|loadtests|results|reports|cli)/' },
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
