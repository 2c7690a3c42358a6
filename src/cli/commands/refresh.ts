import type { Command } from 'commander';
import { refitCommand } from './models.ts';

/** `marginal refresh MODEL [--with-priors]`: a stale model fitted again on the current version of its table (`models refresh`). */
export function register(program: Command): void {
  refitCommand(program.command('refresh'), 'refresh', "Fit a model again on the current version of its harmonized table, as a new model that supersedes it; --with-priors keeps what it learned as curve priors");
}
