/**
 * What `marginal --help` lists of each command — its usage term ("fit [options] <config>") and its
 * description — read from the command modules themselves, so the manifest is never written by hand.
 */
import { Command } from 'commander';
import { commandLoaders } from './index.ts';

export interface CommandSummary { name: string; term: string; description: string }

export async function describeCommands(): Promise<CommandSummary[]> {
  const program = new Command();
  for (const load of Object.values(commandLoaders)) (await load()).register(program);
  const help = program.createHelp();
  return program.commands.map((cmd) => ({ name: cmd.name(), term: help.subcommandTerm(cmd), description: cmd.description() }));
}
