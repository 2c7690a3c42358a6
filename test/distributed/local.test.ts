/** The shared job tests (suite.ts) on the local runner: worker threads in this process. */
import { JobRunner } from '../../src/jobs/runner.ts';
import { runnerSuite } from './suite.ts';

runnerSuite('local runner', async (slots) => {
  const runner = new JobRunner({ concurrency: slots });
  return { runner, close: () => runner.close() };
});
