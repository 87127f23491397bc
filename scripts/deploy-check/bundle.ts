import ts from 'typescript';

/*
 * What a function's deployed code can do, read from the bundle in its zip (the JavaScript Lambda
 * runs, after esbuild's tree shaking), not from what anyone says it does:
 * - name tables: object literals of `key: "/NAME"` strings (shared/platform's `Parameter`), with
 *   the keys the code reads (`P.usersTable`) — the SSM parameters this function can ask for;
 * - every string literal (index names, parameter names written out);
 * - the environment variables it reads (process.env.SSM_PREFIX) and the AWS SDK commands it sends.
 * It is an upper bound: code that is bundled but never runs for this function still counts
 * (esbuild keeps a whole composition root once a handler imports it).
 */

export interface NameTable {
  /** key → value, e.g. usersTable → /USERS_TABLE_NAME. */
  entries: ReadonlyMap<string, string>;
  /** The keys the code reads (`X.key`, `X["key"]`). */
  readKeys: ReadonlySet<string>;
  /** The code takes all of them at once (Object.values/keys/entries of the table, and uses the result). */
  readAll: boolean;
}

export interface BundleFacts {
  nameTables: NameTable[];
  /** String literals outside the name tables. */
  strings: ReadonlySet<string>;
  /** `process.env.X` names. */
  environmentVariables: ReadonlySet<string>;
  /** Class names of `new …Command(…)` (AWS SDK v3), e.g. GetParametersCommand. */
  sdkCommands: ReadonlySet<string>;
}

/** `/NAME`, `/a/b-c.d`: what an SSM parameter name looks like. */
const PARAMETER_LIKE = /^\/[A-Za-z0-9_.\-/]+$/;

export function analyzeBundle(code: string, fileName = 'bundle.js'): BundleFacts {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const tables = new Map<string, { entries: Map<string, string>; readKeys: Set<string>; readAll: boolean }>();
  const strings = new Set<string>();
  const environmentVariables = new Set<string>();
  const sdkCommands = new Set<string>();
  const propertyReads: Array<{ object: string; key: string }> = [];
  const wholeReads: Array<{ object: string; node: ts.CallExpression }> = [];
  const identifierUses = new Map<string, number>();

  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
      const entries = nameTableEntries(node.initializer);
      if (entries) {
        tables.set(node.name.text, { entries, readKeys: new Set(), readAll: false });
        return; // the table's own strings are not uses of those names
      }
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) strings.add(node.text);
    if (ts.isIdentifier(node)) identifierUses.set(node.text, (identifierUses.get(node.text) ?? 0) + 1);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) propertyReads.push({ object: node.expression.text, key: node.name.text });
    if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression) && ts.isStringLiteral(node.argumentExpression)) {
      propertyReads.push({ object: node.expression.text, key: node.argumentExpression.text });
    }
    const envName = environmentVariableOf(node);
    if (envName) environmentVariables.add(envName);
    if (ts.isNewExpression(node)) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : ts.isIdentifier(node.expression) ? node.expression.text : undefined;
      if (callee?.endsWith('Command')) sdkCommands.add(callee);
    }
    if (ts.isCallExpression(node) && isObjectEnumeration(node) && node.arguments.length === 1 && ts.isIdentifier(node.arguments[0])) {
      wholeReads.push({ object: node.arguments[0].text, node });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);

  for (const read of propertyReads) {
    const table = tables.get(read.object);
    if (table?.entries.has(read.key)) table.readKeys.add(read.key);
  }
  // `ALL = Object.values(P)` reads every name only if ALL is used somewhere (esbuild keeps an unused
  // top-level constant when it cannot prove the call free of side effects).
  for (const read of wholeReads) {
    const table = tables.get(read.object);
    if (!table) continue;
    const parent = read.node.parent;
    const boundTo = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
    if (!boundTo || (identifierUses.get(boundTo) ?? 0) > 1) table.readAll = true;
  }
  return {
    nameTables: [...tables.values()],
    strings,
    environmentVariables,
    sdkCommands,
  };
}

/** The names a function's code can read from one of the given name tables (or written out as literals). */
export function parameterNamesRead(facts: BundleFacts, isParameterName: (name: string) => boolean): Set<string> {
  const names = new Set<string>();
  for (const table of facts.nameTables) {
    // A table is one of parameter names when it holds at least one name known as a parameter.
    if (![...table.entries.values()].some(isParameterName)) continue;
    for (const [key, value] of table.entries) if (table.readAll || table.readKeys.has(key)) names.add(value);
  }
  for (const s of facts.strings) if (PARAMETER_LIKE.test(s) && isParameterName(s)) names.add(s);
  return names;
}

/** `{ a: "/A", b: "/B" }`: every property a plain string that looks like a parameter name. */
function nameTableEntries(object: ts.ObjectLiteralExpression): Map<string, string> | undefined {
  if (object.properties.length === 0) return undefined;
  const entries = new Map<string, string>();
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) return undefined;
    const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
    const value = property.initializer;
    if (!key || !(ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) || !PARAMETER_LIKE.test(value.text)) return undefined;
    entries.set(key, value.text);
  }
  return entries;
}

/** `process.env.X` or `process.env["X"]`. */
function environmentVariableOf(node: ts.Node): string | undefined {
  const isProcessEnv = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'process' && e.name.text === 'env';
  if (ts.isPropertyAccessExpression(node) && isProcessEnv(node.expression)) return node.name.text;
  if (ts.isElementAccessExpression(node) && isProcessEnv(node.expression) && ts.isStringLiteral(node.argumentExpression)) return node.argumentExpression.text;
  return undefined;
}

function isObjectEnumeration(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && ['values', 'keys', 'entries'].includes(callee.name.text);
}
