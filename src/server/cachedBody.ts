/**
 * A JSON answer that is the same for every request until its model changes (a model's insights), kept
 * ready to send: the UTF-8 bytes, the same bytes gzipped once, and an entity tag. Per request the server
 * then only picks one — no serializing, encoding or compressing 200 KB a thousand times a second — and a
 * browser that already holds the answer gets 304 Not Modified (its `If-None-Match`).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import negotiate from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CachedBody {
  json: Buffer;
  gzip: Buffer;
  etag: string;
}

export function cachedBody(text: string): CachedBody {
  const json = Buffer.from(text, 'utf8');
  return { json, gzip: gzipSync(json, { level: 6 }), etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"` };
}

/** Sends the cached answer: 304 when the client's copy is current, gzip when it accepts it, else plain JSON. */
export function sendCached(req: FastifyRequest, reply: FastifyReply, body: CachedBody): FastifyReply {
  // no-cache: a client keeps the answer but asks every time (a deleted model's id can be reused by a new fit).
  reply.header('etag', body.etag).header('cache-control', 'private, no-cache').header('vary', 'accept-encoding');
  const held = req.headers['if-none-match'];
  if (held && held.split(',').some((t) => t.trim() === body.etag || t.trim() === `W/${body.etag}`)) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  if (negotiate(req.headers['accept-encoding'] ?? '', ['gzip', 'identity']) === 'gzip') return reply.header('content-encoding', 'gzip').send(body.gzip);
  return reply.send(body.json);
}
