// Fault tests (npm run test:faults): Aster runs as separate processes from dist/, so build first.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testRegex: ['test/faults/.*\\.fault-spec\\.ts$'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 400000,
  maxWorkers: 1,
};
