import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**', 'out/**'],
    // Ink renders only the last frame when it believes it runs in CI (is-in-ci reads CI at import),
    // so dashboard frame tests would see nothing under CI=true. CLI tests set CI for their children.
    // Runs recorded by tests (and by the CLI they spawn) go to a temporary history, never to the
    // repository's .backline/history.db.
    env: { CI: 'false', BACKLINE_HISTORY: join(tmpdir(), `backline-vitest-${process.pid}`, 'history.db') },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
