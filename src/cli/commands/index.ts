import type { Register } from '../program.ts';

/** Every CLI command, in the order `--help` lists them. Add a command by adding its file here. */
export const commands: Register[] = [];
