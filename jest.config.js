/** Two projects: fast unit specs beside the code, and e2e suites that boot the app on a real database. */
const transform = { '^.+\\.(t|j)s$': ['@swc/jest'] };
module.exports = {
  // Each e2e suite boots the whole application; under load that takes longer than Jest's 5 s default.
  testTimeout: 30000,
  // Jest's default is one worker fewer than the cores: one on the 2-core CI machine. Most of an
  // e2e suite's time is spent waiting (HTTP, the database, scrypt), so two run side by side.
  maxWorkers: 2,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
