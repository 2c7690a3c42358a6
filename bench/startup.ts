/**
 * `npm run bench -- startup`: CPU time (user + system, from the child's rusage) of CLI commands that
 * should answer at once — `--help`, `datasets`, `models`, `plans` on the demo's workspace (`marginal demo --fast`) —
 * through the compiled CLI (dist/cli, what `npm install` builds) against the same commands run
 * from the TypeScript sources through tsx (MARGINAL_FROM_SOURCE=1), measured in the same run: the
 * median of 7 runs each, with the load average. Goal (issue 23): under 0.3 s CPU each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'bin', 'marginal');
const RUNS = 7;

/** CPU seconds of one run: user + system time of the child, which spawnSync does not report, so read from /usr/bin/time. */
function cpuSeconds(args: string[], env: NodeJS.ProcessEnv, command = [bin]): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...command, ...args], { encoding: 'utf8', env, cwd: root });
  if (r.status !== 0) throw new Error(`marginal ${args.join(' ')}: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return user + sys;
}

const median = (x: number[]) => { const s = [...x].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

export async function run(): Promise<object> {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  const dir = mkdtempSync(join(tmpdir(), 'marginal-bench-startup-'));
  const workspace = join(dir, 'marginal.duckdb');
  try {
    const setup = spawnSync(process.execPath, [bin, 'demo', '--fast', '--out', dir], { encoding: 'utf8' });
    if (setup.status !== 0) throw new Error(`demo: ${setup.stderr}`);
    const commands: [string, string[]][] = [['--help', ['--help']], ['datasets', ['--workspace', workspace, 'datasets']], ['models', ['--workspace', workspace, 'models']], ['plans', ['--workspace', workspace, 'plans']]];
    const loadBefore = loadavg()[0];
    const rows = commands.map(([name, args]) => {
      const compiled: number[] = [], source: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        compiled.push(cpuSeconds(args, { ...process.env, MARGINAL_FROM_SOURCE: '0' }));
        source.push(cpuSeconds(args, { ...process.env, MARGINAL_FROM_SOURCE: '1' }));
      }
      const c = median(compiled), s = median(source);
      return { command: name, compiledCpuSeconds: c, fromSourceCpuSeconds: s, speedup: s / c, underGoal: c < 0.3 };
    });
    // DuckDB alone as it ships: Node, @duckdb/node-api from node_modules, opening the file, one query. The CLI bundles
    // that package (scripts/build-cli.mjs), so a command can come in under it.
    const floorScript = `const { DuckDBInstance } = await import('@duckdb/node-api'); const i = await DuckDBInstance.create(${JSON.stringify(workspace)}); await (await i.connect()).runAndReadAll('SELECT count(*) FROM models');`;
    const floor = median(Array.from({ length: RUNS }, () => cpuSeconds([], process.env, ['--input-type=module', '-e', floorScript])));
    return {
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverage1m: [loadBefore, loadavg()[0]] }, runs: RUNS, goalCpuSeconds: 0.3,
      reference: 'the same command from the TypeScript sources through tsx', commands: rows,
      duckdbFloorCpuSeconds: floor, duckdbFloor: 'node importing @duckdb/node-api from node_modules, opening the workspace and running one query (the CLI bundles the package, so it can start under this)',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
