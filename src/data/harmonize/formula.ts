/**
 * Derived metrics by formula: `cpm = tv_spend / tv_impressions * 1000`. A formula may use column
 * names, numbers, + - * / and parentheses; it becomes SQL in which a division by zero gives null.
 * Unknown columns and anything else are refused with the list of known columns.
 */
import { badInput } from '../../errors.ts';
import { ident } from '../workspace.ts';

type Tok = { t: 'num' | 'id' | 'op'; v: string };

function tokenize(expr: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|([\p{L}_][\p{L}\p{N}_]*|"[^"]+")|([-+*/()]))/uy;
  let i = 0;
  while (i < expr.length) {
    if (/^\s*$/.test(expr.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(expr);
    if (!m) throw badInput(`formula '${expr}': cannot read '${expr.slice(i).trim()}'`);
    if (m[1] !== undefined) out.push({ t: 'num', v: m[1] });
    else if (m[2] !== undefined) out.push({ t: 'id', v: m[2].replace(/^"|"$/g, '') });
    else out.push({ t: 'op', v: m[3] });
    i = re.lastIndex;
  }
  return out;
}

/** Parses `name = expression` into SQL over the columns of a pivoted table. */
export function compileFormula(text: string, columns: string[]): { name: string; sql: string; uses: string[] } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw badInput(`a derived column is written name=expression, e.g. tv_cpm=tv_spend/tv_impressions*1000; got '${text}'`);
  const name = text.slice(0, eq).trim();
  const expr = text.slice(eq + 1);
  if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) throw badInput(`derived column '${name}': not a valid column name (letters, digits and _, not starting with a digit)`);
  if (columns.includes(name)) throw badInput(`derived column '${name}': a column of that name already exists`);
  const toks = tokenize(expr);
  let pos = 0;
  const uses: string[] = [];
  const peek = () => toks[pos];
  const fail = (why: string): never => { throw badInput(`formula '${text}': ${why}`); };
  const primary = (): string => {
    const t = toks[pos++];
    if (!t) return fail('ends too early');
    if (t.t === 'num') return `CAST(${t.v} AS DOUBLE)`;
    if (t.t === 'id') {
      if (!columns.includes(t.v)) fail(`unknown column '${t.v}'; columns: ${columns.join(', ')}`);
      uses.push(t.v);
      return ident(t.v);
    }
    if (t.v === '(') { const e = sum(); if (toks[pos++]?.v !== ')') fail("missing ')'"); return `(${e})`; }
    if (t.v === '-') return `(-${primary()})`;
    return fail(`unexpected '${t.v}'`);
  };
  const product = (): string => {
    let left = primary();
    while (peek()?.t === 'op' && (peek().v === '*' || peek().v === '/')) {
      const op = toks[pos++].v;
      const right = primary();
      left = op === '*' ? `(${left} * ${right})` : `(${left} / NULLIF(${right}, 0))`;
    }
    return left;
  };
  const sum = (): string => {
    let left = product();
    while (peek()?.t === 'op' && (peek().v === '+' || peek().v === '-')) {
      const op = toks[pos++].v;
      left = `(${left} ${op} ${product()})`;
    }
    return left;
  };
  const sql = sum();
  if (pos < toks.length) fail(`unexpected '${toks[pos].v}'`);
  if (!uses.length) fail('uses no column');
  return { name, sql, uses };
}
