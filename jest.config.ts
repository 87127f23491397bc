import type { Config } from 'jest';

// The AWS SDK warns once per process that its 2027 releases will need Node 22; this machine runs
// Node 20 and the pinned SDK supports it (Lambda runs nodejs22.x). Said once in the README instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const moduleNameMapper = {
  '^@shared/(platform|chat)$': '<rootDir>/shared/$1/src/index.ts',
  '^@shared/(platform|chat)/(.*)$': '<rootDir>/shared/$1/src/$2',
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
