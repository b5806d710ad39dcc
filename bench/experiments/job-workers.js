// An experiment, not part of Aster: preloaded into the Aster process by
// `npm run bench -- --experiment=refetch[,route-workers=N]` to measure two changes to the job
// workers before anyone makes them in src/ (docs/benchmarks.md, "Where the time goes").
//
//   refetch          pg-boss 10's worker loop waits out the rest of its polling interval (0.5 s)
//                    after every batch unless nudged, even when the batch came back full and more
//                    jobs wait; this makes it fetch again at once after a full batch.
//   route-workers=N  N workers on the intake-route queue instead of one (batches routed in parallel).
'use strict';
const options = new Set((process.env.BENCH_EXPERIMENT || '').split(','));
const routeWorkers = Number([...options].find((o) => o.startsWith('route-workers='))?.split('=')[1] || 1);

if (options.has('refetch')) {
  const Worker = require('pg-boss/src/worker');
  const start = Worker.prototype.start;
  Worker.prototype.start = function startRefetching() {
    const onFetch = this.onFetch;
    const batchSize = (this.options && this.options.batchSize) || 1;
    this.onFetch = async (jobs) => {
      await onFetch(jobs);
      if (jobs.length >= batchSize) this.beenNotified = true; // skip the delay: more jobs are likely waiting
    };
    return start.call(this);
  };
}

if (routeWorkers > 1) {
  // PgBoss copies the manager's methods when it is constructed, so patch the manager's prototype.
  const Manager = require('pg-boss/src/manager');
  const work = Manager.prototype.work;
  // PgBoss exposes the manager's methods under their function names: keep the name `work`.
  Manager.prototype.work = {
    async work(name, ...rest) {
      if (name !== 'intake-route') return work.call(this, name, ...rest);
      let id;
      for (let i = 0; i < routeWorkers; i++) id = await work.call(this, name, ...rest);
      return id;
    },
  }.work;
}
