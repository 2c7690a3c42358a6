/**
 * Checks real answers against the OpenAPI document: `documentedAnswer(doc)` returns a function that,
 * given a request's method, route path (as the document writes it, `/api/models/{id}`) and the
 * answer, fails when the status is not documented, the media type is not one of the documented ones,
 * or a JSON body does not match its schema. It remembers which operations it saw.
 */
import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

interface Answered { statusCode: number; headers: Record<string, unknown>; body: string }

export function documentedAnswer(doc: OpenApiDoc) {
  // One compiled validator per response schema; `#/components/schemas/X` resolves inside each root,
  // which carries the document's components beside the schema.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const compiled = new Map<string, ValidateFunction>();
  const seen = new Set<string>();
  const check = (method: string, path: string, res: Answered): void => {
    const op = doc.paths[path]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${path} is not in the OpenAPI document`);
    seen.add(`${method.toUpperCase()} ${path}`);
    assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${method} ${path} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    const documented = op.responses[String(res.statusCode)];
    assert.ok(documented?.content, `${method} ${path} answered ${res.statusCode}, which its operation does not document (${Object.keys(op.responses).join(', ')})`);
    const type = String(res.headers['content-type'] ?? '').split(';')[0].trim();
    assert.ok(documented.content[type], `${method} ${path} answered ${type}; documented: ${Object.keys(documented.content).join(', ')}`);
    if (type !== 'application/json') return;
    const key = `${method} ${path} ${res.statusCode}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ ...(documented.content[type].schema as object), components: { schemas: doc.components.schemas } });
      compiled.set(key, validate);
    }
    const body = JSON.parse(res.body);
    if (!validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`);
      assert.fail(`${method} ${path} ${res.statusCode}: the answer does not match its documented schema:\n  ${errors.join('\n  ')}`);
    }
  };
  return { check, seen };
}

/** Every operation of the document, as 'METHOD /path'. */
export function operations(doc: OpenApiDoc): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
}
