// CloudWatch Logs filter patterns: terms (`ERROR`, `"a phrase"`, `?A ?B`, `-NOT`, `%regex%`) and
// JSON patterns (`{ $.a.b[0] = "x*" && ($.n > 3 || $.flag IS TRUE) }`).
// Space-delimited patterns (`[ip, user, ...]`) are not supported.
export type Matcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? '').trim();
  if (!p || p === '""') return () => true;
  if (p.startsWith('{')) return compileJson(p);
  if (p.startsWith('[')) throw new Error('space-delimited filter patterns are not supported locally');
  const terms = [...p.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)].map(([, mod, quoted, bare]) => {
    const text = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare;
    const regex = /^%(.+)%$/.exec(text);
    const test: Matcher = regex ? (m) => new RegExp(regex[1]).test(m) : (m) => m.includes(text);
    return { mod, test };
  });
  const anyOf = terms.filter((t) => t.mod === '?');
  return (m) =>
    terms.every((t) => (t.mod === '-' ? !t.test(m) : t.mod === '?' || t.test(m))) && (!anyOf.length || anyOf.some((t) => t.test(m)));
}

type Node = (doc: unknown) => boolean;

function compileJson(pattern: string): Matcher {
  if (!pattern.endsWith('}')) throw new Error('unbalanced braces');
  const tokens = pattern.slice(1, -1).match(/\(|\)|&&|\|\||!=|<=|>=|=|<|>|"(?:[^"\\]|\\.)*"|[^\s()=!<>&|"]+/g) ?? [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const next = (): string => {
    if (pos >= tokens.length) throw new Error('unexpected end of filter pattern');
    return tokens[pos++];
  };
  // expr := term ('||' term)* ; term := unary ('&&' unary)* ; `&&` binds tighter.
  const level = (op: string, operand: () => Node): Node => {
    const parts = [operand()];
    while (peek() === op && ++pos) parts.push(operand());
    return op === '&&' ? (d) => parts.every((p) => p(d)) : (d) => parts.some((p) => p(d));
  };
  const or = (): Node => level('||', () => level('&&', unary));
  const unary = (): Node => {
    if (peek() === '(') {
      pos++;
      const inner = or();
      if (next() !== ')') throw new Error('expected )');
      return inner;
    }
    return comparison();
  };
  const comparison = (): Node => {
    const selector = next();
    if (!selector.startsWith('$')) throw new Error(`expected a $.selector, got ${selector}`);
    const get = (doc: unknown): unknown => select(doc, selector);
    const op = next();
    if (op === 'IS') {
      const what = next();
      const want = what === 'NULL' ? null : what === 'TRUE' ? true : what === 'FALSE' ? false : undefined;
      if (want === undefined) throw new Error(`unknown IS ${what}`);
      return (d) => get(d) === want;
    }
    if (op === 'NOT') {
      if (next() !== 'EXISTS') throw new Error('expected NOT EXISTS');
      return (d) => get(d) === undefined;
    }
    if (op === 'EXISTS') return (d) => get(d) !== undefined;
    const raw = next();
    const quoted = raw.startsWith('"');
    const value = quoted ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    const numeric = !quoted && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value);
    const wildcard = new RegExp(`^${value.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const equals = (v: unknown): boolean => {
      if (v === undefined || v === null || typeof v === 'object') return false;
      if (numeric) return typeof v === 'number' && v === Number(value);
      return wildcard.test(String(v));
    };
    const n = Number(value);
    const test: Record<string, (v: unknown) => boolean> = {
      '=': equals, '!=': (v) => v !== undefined && !equals(v),
      '<': (v) => typeof v === 'number' && v < n, '>': (v) => typeof v === 'number' && v > n,
      '<=': (v) => typeof v === 'number' && v <= n, '>=': (v) => typeof v === 'number' && v >= n,
    };
    if (!Object.hasOwn(test, op)) throw new Error(`unknown operator ${op}`);
    if (!numeric && op !== '=' && op !== '!=') throw new Error(`${op} needs a number`);
    return (d) => test[op](get(d));
  };
  const root = or();
  if (pos !== tokens.length) throw new Error(`unexpected ${tokens[pos]}`);
  return (message) => {
    const doc = parseJsonMessage(message);
    return doc !== undefined && root(doc);
  };
}

/** The event as JSON; Lambda's "<time>\t<requestId>\tINFO\t{...}" lines are matched on their JSON tail. */
function parseJsonMessage(message: string): unknown {
  for (const start of [0, message.indexOf('{')]) {
    if (start < 0) continue;
    try {
      const doc: unknown = JSON.parse(message.slice(start));
      if (doc && typeof doc === 'object') return doc;
    } catch {
      // not JSON from here
    }
  }
  return undefined;
}

function select(doc: unknown, selector: string): unknown {
  let cur = doc;
  for (const [, key, index] of selector.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (!cur || typeof cur !== 'object') return undefined;
    const k = key ?? index;
    if (!Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}
