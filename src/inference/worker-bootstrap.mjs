// Plain-JS entry of the chain workers: registers tsx in this thread so the worker (and the target
// factory's module) can be TypeScript, then loads the worker proper.
import { runInBackground } from '../util/background.mjs';
import { register } from 'tsx/esm/api';

// Behind the event loop before anything else loads (util/background.mjs).
runInBackground();

register();
await import('./worker.ts');
