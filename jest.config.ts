import type { Config } from 'jest';

const moduleNameMapper = {
  '^@chat/shared$': '<rootDir>/shared/src/index.ts',
  '^@chat/shared/(.*)$': '<rootDir>/shared/src/$1',
};
// Type checking is `npm run typecheck`'s job; jest only transpiles, which keeps the suite fast.
const transform = { '^.+\\.ts$': ['ts-jest', {}] as [string, object] };

const config: Config = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/**/test/unit/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/.esbuild/', '/.serverless/'],
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/**/test/integration/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/.esbuild/', '/.serverless/'],
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
      testEnvironmentOptions: { globalsCleanup: 'off' },
    },
  ],
};

export default config;
