import type { Command } from 'commander';
import { badInput } from '../../errors.ts';
import { existingWorkspace } from '../program.ts';

/** `marginal serve`: the REST API and the web app on http://127.0.0.1:8080 (see docs/server.md). */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the REST API and the web app (127.0.0.1 by default; other addresses need MARGINAL_TOKEN)')
    .option('--port <n>', 'port', '8080')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--allowed-host <names>', 'extra host names the server answers, comma-separated (default $MARGINAL_ALLOWED_HOSTS; the bound address and loopback names always)')
    .option('--upload-limit <MB>', 'largest upload in MB (default 200)')
    .option('--redis <url>', 'run fits, plans and touchpoint jobs on `marginal worker` processes through this Redis server (default $MARGINAL_REDIS; none: in this process)')
    .option('--queue <name>', 'Redis queue name with --redis (default $MARGINAL_QUEUE or "jobs")')
    .action(async (opts: { port: string; host: string; allowedHost?: string; uploadLimit?: string; redis?: string; queue?: string }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw badInput(`--port must be an integer 0–65535; got '${opts.port}'`);
      let uploadLimit: number | undefined;
      if (opts.uploadLimit !== undefined) {
        const mb = Number(opts.uploadLimit);
        if (!(mb > 0)) throw badInput(`--upload-limit must be a positive number of MB; got '${opts.uploadLimit}'`);
        uploadLimit = mb * 1024 * 1024;
      }
      const { startServer } = await import('../../server/listen.ts');
      const { existsSync } = await import('node:fs');
      const { DEFAULT_WEB_ROOT } = await import('../../server/app.ts');
      const workspace = existingWorkspace(cmd.optsWithGlobals());
      const redis = opts.redis ?? (process.env.MARGINAL_REDIS || undefined);
      const queue = opts.queue ?? (process.env.MARGINAL_QUEUE || undefined);
      const { allowedHostsFor } = await import('../../server/guard.ts');
      const allowedHosts = allowedHostsFor(opts.host, [process.env.MARGINAL_ALLOWED_HOSTS, opts.allowedHost].filter(Boolean).join(','));
      // `npm install` builds the web app (the prepare script); a checkout without it builds it on first start.
      if (!existsSync(`${DEFAULT_WEB_ROOT}/index.html`)) {
        process.stderr.write('the web app is not built yet: building it now (once; about half a minute) …\n');
        const { spawnSync } = await import('node:child_process');
        const { fileURLToPath } = await import('node:url');
        const { sourceUrl } = await import('../../paths.ts');
        spawnSync(process.execPath, [fileURLToPath(sourceUrl('../web/build-if-needed.mjs'))], { stdio: 'inherit' });
      }
      const server = await startServer({ workspace, host: opts.host, port, uploadLimit, warm: true, redis, queue, allowedHosts });
      if (!existsSync(`${DEFAULT_WEB_ROOT}/index.html`)) process.stderr.write('note: the web app could not be built (run `npm run build` to see why); serving the API only\n');
      process.stderr.write(`workspace ${workspace}\n`);
      if (redis) {
        const { redactUrl } = await import('../../jobs/distributed/index.ts');
        process.stderr.write(`jobs go to ${redactUrl(redis)} (queue '${queue ?? 'jobs'}'): start \`marginal worker --redis URL\` on one or more machines\n`);
      }
      process.stdout.write(`Marginal is running at ${server.url}  (Ctrl+C to stop)\n`);
      await new Promise<void>((resolveStop) => {
        const stop = () => { void server.close().then(() => resolveStop()); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
