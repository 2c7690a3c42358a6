/**
 * The import graph of src/ keeps the layers of docs/architecture.md honest:
 *
 * - no import cycles: a module never needs, through others, a module that needs it. A cycle is untied
 *   by moving the shared piece to where it belongs (a type to a types module, a helper down a layer);
 * - the core (transforms, autodiff, inference, models, analysis, planning) does no I/O: none of its
 *   files imports the file system, paths or the DuckDB workspace, nor the layers that do;
 *
 * What counts as an edge: every `import … from` and `export … from`, `import type` included (a cycle
 * of types is still two modules that cannot be understood one without the other, and it is one
 * `import` away from a cycle at run time; the shared type can always move to a module of its own),
 * and every `import('…')` of a literal path (turning one import of a cycle into a dynamic one hides
 * the cycle, it does not untie it).
 *
 * The graph is dpdm's (a maintained dependency-graph library, a devDependency) rather than a walk
 * written here: it parses each file with the TypeScript compiler (its own 5.x copy: TypeScript 7 has
 * no JavaScript API), so it sees imports wherever they are, and it resolves specifiers ending in `.ts`
 * as written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree, type DependencyTree } from 'dpdm';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Imports that close a cycle someone is untying elsewhere, as [importer, imported]. Each is left out
 * of the cycle check, and must still close a cycle: once it no longer does, delete it here. None now.
 */
const EXCUSED_EDGES: ReadonlyArray<readonly [string, string]> = [];

/** The layers that do no I/O, and what they must not import. */
const CORE = ['transforms', 'autodiff', 'inference', 'models', 'analysis', 'planning'].map((d) => `src/${d}/`);
const IO_PACKAGES = /^(node:)?(fs|fs\/promises|path|child_process|net|http|https|dgram)$|^@duckdb\//;
const IO_LAYERS = ['data', 'jobs', 'app', 'server', 'cli', 'touchpoints'].map((d) => `src/${d}/`);
/**
 * Core files allowed one I/O-flavoured import, with the reason.
 * - src/inference/worker.ts → node:path: the worker thread that runs a chain imports the module of its
 *   target factory, and needs `isAbsolute` to tell a file path (turned into a file: URL) from a URL or
 *   a package name on every platform. String arithmetic on a path; it reads no file.
 */
const IO_ALLOWED: ReadonlyArray<readonly [string, string]> = [['src/inference/worker.ts', 'node:path']];

const tree: Promise<DependencyTree> = parseDependencyTree(['src/**/*.ts'], {
  cwd: root, context: root, transform: false, skipDynamicImports: false, onProgress: () => {},
});

/** Source files of src/ (dpdm also lists the packages they import, as null or with no dependencies). */
async function sourceFiles(): Promise<string[]> {
  return Object.keys(await tree).filter((id) => id.startsWith('src/') && (id.endsWith('.ts') || id.endsWith('.mts')));
}

test('the graph is complete: every relative import of src/ resolves to a file, and none is hidden with @dpdm-ignore', async () => {
  const t = await tree;
  const files = await sourceFiles();
  assert.ok(files.length > 200, `expected the whole of src/, got ${files.length} files`);
  const unresolved = files.flatMap((f) => (t[f] ?? []).filter((d) => d.request.startsWith('.') && d.id === null).map((d) => `${f}: ${d.request}`));
  assert.deepEqual(unresolved, []);
  const ignored = files.filter((f) => readFileSync(`${root}${f}`, 'utf8').includes('@dpdm-ignore'));
  assert.deepEqual(ignored, [], 'an import hidden from this test');
});

test('src/ has no import cycles', async () => {
  const t = await tree;
  const excused = new Set(EXCUSED_EDGES.map(([from, to]) => `${from}→${to}`));
  const withoutExcused: DependencyTree = Object.fromEntries(Object.entries(t).map(([id, deps]) => [id, deps && deps.filter((d) => !excused.has(`${d.issuer}→${d.id}`))]));
  const cycles = parseCircular(withoutExcused).map((c) => [...c, c[0]].join(' → '));
  assert.deepEqual(cycles, [], `import cycles in src/:\n${cycles.join('\n')}`);
});

test('each excused import still closes a cycle (delete it from EXCUSED_EDGES once untied)', async () => {
  const t = await tree;
  for (const [from, to] of EXCUSED_EDGES) {
    assert.ok((t[from] ?? []).some((d) => d.id === to), `${from} no longer imports ${to}`);
    // Is `from` reachable from `to`? Then from → to closes a cycle.
    const seen = new Set<string>([to]);
    const queue = [to];
    while (queue.length) for (const d of t[queue.shift()!] ?? []) if (d.id && !seen.has(d.id)) { seen.add(d.id); queue.push(d.id); }
    assert.ok(seen.has(from), `${from} → ${to} no longer closes a cycle`);
  }
});

test('the core does no I/O: no file of transforms, autodiff, inference, models, analysis or planning imports fs, path, DuckDB or an I/O layer', async () => {
  const t = await tree;
  const allowed = new Set(IO_ALLOWED.map(([file, request]) => `${file} → ${request}`));
  // Tests beside the code may read their fixtures.
  const core = (await sourceFiles()).filter((f) => CORE.some((dir) => f.startsWith(dir)) && !f.endsWith('.test.ts'));
  assert.ok(core.length > 100, `expected the core's files, got ${core.length}`);
  const offences = core.flatMap((f) => (t[f] ?? [])
    .filter((d) => IO_PACKAGES.test(d.request) || (d.id !== null && IO_LAYERS.some((dir) => d.id!.startsWith(dir))))
    .map((d) => `${f} → ${d.request}`)
    .filter((edge) => !allowed.has(edge)));
  assert.deepEqual(offences, []);
  for (const edge of allowed) assert.ok(core.some((f) => (t[f] ?? []).some((d) => `${f} → ${d.request}` === edge)), `${edge} is allowed but no longer imported: delete it from IO_ALLOWED`);
});
