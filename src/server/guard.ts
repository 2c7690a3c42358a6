/**
 * Who may talk to the server, decided once per request after routing:
 *
 * - **Host**: only the names of the address the server is bound to (and a configured list) are
 *   answered, so a web page whose DNS name was rebound to 127.0.0.1 gets 421, not the user's data.
 * - **Origin**: a state-changing request (anything but GET/HEAD/OPTIONS) sent by a browser from
 *   another site is refused with 403, so a page the user visits cannot upload, fit or delete.
 * - **Token**: with MARGINAL_TOKEN set, every API route but the health check needs
 *   `Authorization: Bearer <token>`. The check reads the route the router matched
 *   (`routeOptions.url`), never the raw request target, so percent-encoding (`/%61pi/…`) and
 *   absolute-form targets (`http://host/api/…`) reach the same decision as the plain path.
 */
import { timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface GuardOptions {
  /** Bearer token required on API routes; none = open. */
  token?: string;
  /** Host names (without port) the server answers; `null` = any (only sensible behind a token). */
  allowedHosts: ReadonlySet<string> | null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];

/** The host names a server bound to `host` answers to: loopback names, the bound address, and for a
 *  wildcard bind this machine's name and interface addresses; plus MARGINAL_ALLOWED_HOSTS (comma-separated). */
export function allowedHostsFor(host: string, extra: string | undefined = process.env.MARGINAL_ALLOWED_HOSTS): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  names.add(host.toLowerCase());
  if (host === '0.0.0.0' || host === '::') {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(a.address.toLowerCase());
  }
  for (const h of (extra ?? '').split(',')) if (h.trim()) names.add(h.trim().toLowerCase());
  return names;
}

/** `example.com:8080` → `example.com`; `[::1]:8080` → `::1`; absent or malformed → ''. */
export function hostName(header: string | undefined): string {
  const h = String(header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) { const end = h.indexOf(']'); return end > 0 ? h.slice(1, end) : ''; }
  const colon = h.indexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** The host (with port, default ports left out as URL does) of an Origin header, or null when it is absent; '' when opaque (`null`) or malformed. */
function originHost(origin: string | undefined): string | null {
  if (!origin || origin === 'null') return origin === 'null' ? '' : null;
  try { return new URL(origin).host.toLowerCase(); } catch { return ''; }
}

/** A Host header in the same form: `localhost:80` → `localhost` (the port an http origin leaves out). */
function normalizedHost(host: string): string {
  try { return new URL(`http://${host}`).host.toLowerCase(); } catch { return host.toLowerCase(); }
}

/** True when the matched route is an API route that needs the token. */
export function isProtectedRoute(req: FastifyRequest): boolean {
  // Unmatched requests only ever get the web app's index.html or a 404, neither holding data.
  const route = req.routeOptions.url;
  return route !== undefined && route.startsWith('/api') && route !== '/api/health';
}

export function installGuard(app: FastifyInstance, opts: GuardOptions): void {
  const want = opts.token ? Buffer.from(opts.token) : null;
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (opts.allowedHosts && !opts.allowedHosts.has(hostName(req.headers.host))) {
      return reply.status(421).send({ error: 'MISDIRECTED', detail: `this server does not answer for host '${String(req.headers.host ?? '').slice(0, 100)}'; add it to MARGINAL_ALLOWED_HOSTS to allow it` });
    }
    if (!SAFE_METHODS.has(req.method)) {
      const site = String(req.headers['sec-fetch-site'] ?? '');
      const origin = originHost(req.headers.origin);
      const host = normalizedHost(String(req.headers.host ?? ''));
      // The page's own origin is the host it asked for; behind a proxy that rewrites Host, an origin
      // whose name the operator allowed (MARGINAL_ALLOWED_HOSTS) is the app's own too.
      // Loopback names are left out of that rule: another app on this machine (localhost:3000) is not ours.
      const ownOrigin = origin !== null && origin !== '' && (origin === host || (!LOOPBACK_NAMES.includes(hostName(origin)) && (opts.allowedHosts?.has(hostName(origin)) ?? false)));
      if (site === 'cross-site' || site === 'same-site' || (origin !== null && !ownOrigin)) {
        return reply.status(403).send({ error: 'FORBIDDEN', detail: 'a page from another site may not change this workspace' });
      }
    }
    if (want && isProtectedRoute(req)) {
      // The scheme's case does not matter (RFC 7235: `bearer` is `Bearer`); the token is compared in constant time.
      const got = Buffer.from(/^bearer +(.*)$/i.exec(String(req.headers.authorization ?? ''))?.[1] ?? '');
      if (got.length !== want.length || !timingSafeEqual(got, want)) {
        return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'UNAUTHORIZED', detail: 'this server requires `Authorization: Bearer <MARGINAL_TOKEN>`' });
      }
    }
  });
}
