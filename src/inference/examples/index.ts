/** Example targets with hand-written gradients (tests, benchmarks, and worker factories). */
export * from './gaussian.ts';
export * from './funnel.ts';
export * from './regression.ts';
export * from './hierarchical.ts';
