import { defineConfig } from 'vitest/config';

// Two projects so developers can run the fast unit suite alone; `npm test` runs both.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'lab',
          include: ['lab/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Real-lab tests share kernel state (namespaces); keep lab files serial.
          fileParallelism: false,
        },
      },
    ],
  },
});
