import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/content/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
  },
})
