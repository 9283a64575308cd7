import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests next to the code, and integration suites that need the local
// control plane (started once per run by test/cluster/global-setup.ts).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/cluster/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Two cores: a few files at a time keep the control plane responsive.
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
