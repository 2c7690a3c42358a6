// Plain-JS entry of the chain workers: registers tsx in this thread so the worker (and the target
// factory's module) can be TypeScript, then loads the worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
