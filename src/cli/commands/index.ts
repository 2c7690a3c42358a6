import type { Register } from '../program.ts';
import { register as simulate } from './simulate.ts';

/** Every CLI command, in the order `--help` lists them. Add a command by adding its file here. */
export const commands: Register[] = [
  simulate,
];
