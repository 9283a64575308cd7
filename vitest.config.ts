import { defineConfig } from 'vitest/config';

// Four projects: fast unit tests next to the code; integration suites that need the local
// control plane (started once per run by test/cluster/global-setup.ts); the Medusa engine's
// end-to-end suite (a real PostgreSQL, the real Medusa server, headless Chromium); and the real
// node's (containers that run, test/realnode/global-setup.ts), skipped where the machine cannot.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'engines/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**', '**/.medusa/**'],
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
      {
        test: {
          name: 'medusa',
          include: ['test/medusa/**/*.e2e.test.ts'],
          globalSetup: ['test/medusa/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          // One server, one database: the files share them, so they run one after another.
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'realnode',
          include: ['test/realnode/**/*.e2e.test.ts'],
          globalSetup: ['test/realnode/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          // One node, one machine: the files share it, one after another.
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
