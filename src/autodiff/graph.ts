/**
 * The static tape: a graph of whole-vector nodes, built once and evaluated many times.
 *
 * Every node owns a preallocated `value` (and, when it depends on a parameter, a `grad`) Float64Array.
 * An op is a pair of closures: `forward()` recomputes `out.value` from its inputs' values, and
 * `backward()` adds `out.grad · ∂out/∂input` into each input's `grad`. A `Program` is the ordered
 * list of ops a set of roots needs; `forward()` and `backward()` walk it in order / reverse order and
 * allocate nothing.
 *
 * Node kinds:
 * - `param`: an input whose value the caller writes (`node.value.set(...)`) and whose gradient is wanted;
 * - `const`: fixed values; ops whose inputs are all constants are evaluated once when built
 *   (constant folding) and never appear on a tape;
 * - `data`: values the caller may overwrite between evaluations, without a gradient;
 * - `op`: the output of an operation.
 *
 * Ops are evaluated once as soon as they are built (eagerly), so a graph built with its parameter
 * values already in place is also a fresh, one-shot tape: build, then `g.backward(root)`.
 */
import { badInput } from '../errors.ts';

export type Shape = readonly number[];
export type NodeKind = 'param' | 'const' | 'data' | 'op';

const EMPTY = new Float64Array(0);

export class Node {
  readonly graph: Graph;
  readonly id: number;
  readonly kind: NodeKind;
  readonly shape: Shape;
  readonly size: number;
  /** Current value, row-major for matrices. Length `size`. */
  readonly value: Float64Array;
  /** ∂root/∂node after `backward()`; length `size` when `requiresGrad`, else empty. */
  readonly grad: Float64Array;
  /** True when the node depends on a `param`. */
  readonly requiresGrad: boolean;
  /** The op that computes this node (null for inputs and folded constants). */
  op: Op | null = null;
  name: string | undefined;

  constructor(graph: Graph, id: number, kind: NodeKind, shape: Shape, requiresGrad: boolean, value?: Float64Array, grad?: Float64Array) {
    const size = shapeSize(shape);
    this.graph = graph;
    this.id = id;
    this.kind = kind;
    this.shape = shape;
    this.size = size;
    this.value = value ?? new Float64Array(size);
    this.requiresGrad = requiresGrad;
    this.grad = requiresGrad ? (grad ?? new Float64Array(size)) : EMPTY;
  }

  /** True for constants (including folded op outputs): their value never changes. */
  get isConst(): boolean { return this.kind === 'const'; }
}

export interface Op {
  readonly name: string;
  readonly out: Node;
  readonly inputs: readonly Node[];
  forward(): void;
  backward(): void;
}

/** An input to an op: a node, or a plain number (becomes a length-1 constant). */
export type Operand = Node | number;

export class Graph {
  readonly nodes: Node[] = [];
  readonly ops: Op[] = [];
  private programs = new Map<string, Program>();

  /** A parameter (gradient wanted). `shape` is a size or a shape; `init` fills its value. */
  param(shape: number | Shape, init?: ArrayLike<number> | number, name?: string): Node {
    const n = this.input('param', toShape(shape), true, init);
    n.name = name;
    return n;
  }

  /** A constant; its value must not change after it is built (ops on constants are folded). */
  constant(values: ArrayLike<number> | number, shape?: Shape, name?: string): Node {
    const v = typeof values === 'number' ? [values] : values;
    const s = shape ?? [v.length];
    const n = this.input('const', s, false, v);
    n.name = name;
    return n;
  }

  /** Data without a gradient that the caller may overwrite (`node.value.set(...)`) between evaluations. */
  data(values: ArrayLike<number>, shape?: Shape, name?: string): Node {
    const n = this.input('data', shape ?? [values.length], false, values);
    n.name = name;
    return n;
  }

  /** Coerces a number to a length-1 constant; checks a node belongs to this graph. */
  lift(x: Operand): Node {
    if (typeof x === 'number') return this.constant(x, []);
    if (x.graph !== this) throw badInput('autodiff: a node from another graph was used');
    return x;
  }

  /**
   * Adds an op computing a new node of `shape` from `inputs`. `forward` writes `out.value`;
   * `backward` adds into the `grad` of each input whose `requiresGrad` is true. The op runs once now;
   * when every input is constant the result is folded into a constant and not taped.
   */
  op(name: string, inputs: readonly Node[], shape: Shape, make: (out: Node) => { forward(): void; backward(): void }): Node {
    let anyGrad = false;
    let allConst = true;
    for (const x of inputs) {
      if (x.graph !== this) throw badInput(`autodiff: ${name} got a node from another graph`);
      if (x.requiresGrad) anyGrad = true;
      if (x.kind !== 'const') allConst = false;
    }
    const out = new Node(this, this.nodes.length, allConst ? 'const' : 'op', shape, anyGrad);
    this.nodes.push(out);
    const fb = make(out);
    fb.forward();
    if (!allConst) {
      const op: Op = { name, out, inputs, forward: fb.forward, backward: fb.backward };
      out.op = op;
      this.ops.push(op);
    }
    return out;
  }

  /** A node sharing `x`'s value and grad buffers under another shape of the same size (no copy, no op). */
  reshape(x: Node, shape: Shape): Node {
    const s = toShape(shape);
    if (shapeSize(s) !== x.size) throw badInput(`autodiff: reshape of size ${x.size} to [${s.join(', ')}]`);
    const out = new Node(this, this.nodes.length, x.kind === 'param' ? 'op' : x.kind, s, x.requiresGrad, x.value, x.requiresGrad ? x.grad : undefined);
    this.nodes.push(out);
    if (out.kind === 'op') {
      const op: Op = { name: 'reshape', out, inputs: [x], forward() {}, backward() {} };
      out.op = op;
      this.ops.push(op);
    }
    return out;
  }

  /** The ops needed to compute `roots`, in order, as a reusable program (cached per set of roots). */
  program(roots: readonly Node[]): Program {
    const key = roots.map((r) => r.id).join(',');
    let p = this.programs.get(key);
    if (!p) {
      p = new Program(this, roots);
      this.programs.set(key, p);
    }
    return p;
  }

  /** Re-evaluates every op (use a `program` to evaluate only what some roots need). */
  forward(): void {
    const ops = this.ops;
    for (let i = 0; i < ops.length; i++) ops[i].forward();
  }

  /** Reverse pass from a scalar `root` over the ops it needs; gradients land in each param's `grad`. */
  backward(root: Node): void {
    this.program([root]).backward();
  }

  private input(kind: NodeKind, shape: Shape, requiresGrad: boolean, init?: ArrayLike<number> | number): Node {
    for (const d of shape) if (!Number.isInteger(d) || d < 0) throw badInput(`autodiff: bad shape [${shape.join(', ')}]`);
    const n = new Node(this, this.nodes.length, kind, shape, requiresGrad);
    if (typeof init === 'number') n.value.fill(init);
    else if (init !== undefined) {
      if (init.length !== n.size) throw badInput(`autodiff: ${init.length} values for shape [${shape.join(', ')}] (size ${n.size})`);
      n.value.set(init);
    }
    this.nodes.push(n);
    return n;
  }
}

/** An ordered, reusable list of ops that computes some roots; `backward` needs a single scalar root. */
export class Program {
  readonly ops: Op[];
  readonly roots: readonly Node[];
  /** Every node whose grad must be zeroed before a reverse pass: op outputs and params. */
  private readonly gradNodes: Node[];

  constructor(graph: Graph, roots: readonly Node[]) {
    this.roots = roots;
    const needed = new Uint8Array(graph.nodes.length);
    const stack: Node[] = [...roots];
    const params: Node[] = [];
    while (stack.length) {
      const n = stack.pop()!;
      if (needed[n.id]) continue;
      needed[n.id] = 1;
      if (n.kind === 'param') params.push(n);
      if (n.op) for (const x of n.op.inputs) stack.push(x);
    }
    this.ops = graph.ops.filter((op) => needed[op.out.id]);
    const seen = new Set<Float64Array>();
    this.gradNodes = [];
    for (const n of [...params, ...this.ops.map((o) => o.out)]) {
      if (n.requiresGrad && !seen.has(n.grad)) { seen.add(n.grad); this.gradNodes.push(n); }
    }
  }

  forward(): void {
    const ops = this.ops;
    for (let i = 0; i < ops.length; i++) ops[i].forward();
  }

  /** Zeroes gradients, seeds ∂root/∂root = 1 and runs the reverse pass (call `forward()` first). */
  backward(): void {
    const root = this.roots[0];
    if (this.roots.length !== 1 || root.size !== 1) throw badInput(`autodiff: backward needs one scalar root; got ${this.roots.length} root(s) of size ${root?.size}`);
    const gn = this.gradNodes;
    for (let i = 0; i < gn.length; i++) gn[i].grad.fill(0);
    if (!root.requiresGrad) return;
    root.grad[0] = 1;
    const ops = this.ops;
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i];
      if (op.out.requiresGrad) op.backward();
    }
  }
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function toShape(s: number | Shape): Shape {
  return typeof s === 'number' ? [s] : [...s];
}

export function fmtShape(s: Shape): string {
  return `[${s.join(', ')}]`;
}
