import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**', 'out/**'],
    // Ink renders only the last frame when it believes it runs in CI (is-in-ci reads CI at import),
    // so dashboard frame tests would see nothing under CI=true. CLI tests set CI for their children.
    env: { CI: 'false' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
