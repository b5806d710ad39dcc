// Unit specs sit beside the code (src/**/*.spec.ts); end-to-end tests live in test/.
// Nest 12 ships ES modules, so @swc/jest transpiles them too (ts-jest cannot on Node 20).
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: ['src/.*\\.spec\\.ts$', 'test/.*\\.e2e-spec\\.ts$'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // pg-boss 12 and the packages it needs are ES modules too.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|marked|pg-boss|serialize-error|non-error|rrule-temporal|cron-parser)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
  // How long a worker may take to exit once jest is done with it, before jest kills it and warns
  // "failed to exit gracefully ... tests leaking". Nothing leaks: at the end of a run each worker's
  // event loop is empty and its 'exit' event fires within a millisecond, but the process itself
  // (a few hundred MB of heap to tear down) can take longer than jest's default 500 ms to go on a
  // busy two-core machine. A handle really left open still gets the warning, 5 s later.
  workerGracefulExitTimeout: 5000,
};
