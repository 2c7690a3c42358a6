/**
 * Starts the server: `marginal serve` and `npm start` call this. Binds 127.0.0.1 by default; on any
 * other address it requires a bearer token (MARGINAL_TOKEN) and refuses to start without one.
 */
import type { FastifyInstance } from 'fastify';
import { badInput, conflict } from '../errors.ts';
import { buildApp, type AppOptions } from './app.ts';
import { allowedHostsFor } from './guard.ts';

export const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

export interface ServeOptions extends Omit<AppOptions, 'token'> { host?: string; port?: number; token?: string }

export async function startServer(opts: ServeOptions): Promise<{ app: FastifyInstance; url: string; close: () => Promise<void> }> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 8080;
  const token = opts.token ?? (process.env.MARGINAL_TOKEN || undefined);
  if (!LOOPBACK.includes(host) && !token) {
    throw badInput(`--host ${host} exposes the server beyond this machine: set MARGINAL_TOKEN to a secret bearer token first (or use --host 127.0.0.1)`);
  }
  if (token !== undefined && token.length < 16) throw badInput('MARGINAL_TOKEN must be at least 16 characters');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw badInput(`--port must be an integer 0–65535; got '${port}'`);
  const { app } = await buildApp({ ...opts, token, allowedHosts: opts.allowedHosts === undefined ? allowedHostsFor(host) : opts.allowedHosts });
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    if ((err as { code?: string }).code === 'EADDRINUSE') throw conflict(`port ${port} on ${host} is already in use; pick another with --port`);
    throw err;
  }
  const addr = app.server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  return { app, url, close: () => app.close() };
}
