// Preloaded into the Aster process under `npm run bench -- --profile` (node -r): counts every
// statement sent through the pg driver (TypeORM and pg-boss both use it), by statement text, so the
// report can say how many round trips to PostgreSQL one message costs. SIGUSR2 the first time:
// start counting from zero; the second time: write the counts to $BENCH_QUERY_COUNTS and stop.
'use strict';
const { writeFileSync } = require('node:fs');
const { Client } = require('pg');

const counts = new Map();
let counting = false;
const original = Client.prototype.query;
Client.prototype.query = function countedQuery(config, ...rest) {
  if (counting) {
    const text = typeof config === 'string' ? config : config && typeof config.text === 'string' ? config.text : '?';
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 160);
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return original.call(this, config, ...rest);
};

process.on('SIGUSR2', () => {
  if (!counting) {
    counts.clear();
    counting = true;
    return;
  }
  counting = false;
  const rows = [...counts].sort((a, b) => b[1] - a[1]);
  writeFileSync(process.env.BENCH_QUERY_COUNTS || 'query-counts.json', JSON.stringify(rows));
});
