// Plain-JS entry of job workers: registers tsx in this thread so the task modules can be TypeScript,
// then loads the worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
