/**
 * Reads the source tree for the architecture test: each file's imports (resolved to repo paths or
 * package names, type-only ones included: a type import is still a dependency) and the syntax
 * findings the rules look for. It parses with the TypeScript compiler, so comments and strings that
 * merely mention a word are not mistaken for code.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export type FindingKind = 'sql' | 'rowType' | 'vendorWord' | 'dialect';

export interface SourceInfo {
  /** Repo-relative, forward slashes: `src/domain/people/people.ts`. */
  path: string;
  lines: number;
  /** Repo paths (`src/store/db.ts`) for relative imports, package names (`fastify`, `@fastify/multipart`) else. */
  imports: string[];
  findings: Set<FindingKind>;
}

/** Kysely query-builder entry points: a call to one of these is SQL. */
const SQL_BUILDERS = new Set([
  'selectFrom',
  'insertInto',
  'updateTable',
  'deleteFrom',
  'replaceInto',
  'mergeInto',
  'selectNoFrom',
]);
const ROW_TYPES = /^(Selectable|Insertable|Updateable)$|Row$/;
const VENDOR = /sailpoint|webex|trivore|authress|spark[-:]/i;
const DIALECTS = new Set(['postgres', 'sqlite']);

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

export function listFiles(dir: string, ext = '.ts'): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return listFiles(toPosix(relative(ROOT, path)), ext);
    return name.endsWith(ext) ? [toPosix(relative(ROOT, path))] : [];
  });
}

function resolveImport(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) {
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0].replace(/^node:/, 'node:');
  }
  const base = toPosix(join(dirname(from), specifier));
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`, base]) {
    if (existsSync(join(ROOT, candidate))) return candidate;
  }
  return base;
}

function moduleSpecifiers(file: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push(literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function findingsOf(file: ts.SourceFile): Set<FindingKind> {
  const findings = new Set<FindingKind>();
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      SQL_BUILDERS.has(node.expression.name.text)
    ) {
      findings.add('sql');
    } else if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'sql') {
      findings.add('sql');
    } else if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'sql'
    ) {
      findings.add('sql'); // sql.raw, sql.ref, sql.join, sql.lit …
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      if (node.expression.name.text === 'forUpdate') findings.add('dialect');
    }
    if (ts.isTypeReferenceNode(node) && ROW_TYPES.test(node.typeName.getText(file).split('.').pop()!)) {
      findings.add('rowType');
    }
    if (ts.isImportSpecifier(node) && ROW_TYPES.test(node.name.text)) findings.add('rowType');
    if (ts.isIdentifier(node) && VENDOR.test(node.text)) findings.add('vendorWord');
    if (ts.isStringLiteralLike(node)) {
      if (
        VENDOR.test(node.text) &&
        !ts.isImportDeclaration(node.parent) &&
        !ts.isExportDeclaration(node.parent)
      )
        findings.add('vendorWord');
      if (DIALECTS.has(node.text)) findings.add('dialect');
    }
    if (ts.isIdentifier(node) && /^dialect$/i.test(node.text)) findings.add('dialect');
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

function linesOf(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

export function countLines(path: string): number {
  return linesOf(readFileSync(join(ROOT, path), 'utf8'));
}

export function scanFile(path: string): SourceInfo {
  return scanText(path, readFileSync(join(ROOT, path), 'utf8'));
}

/** Scans `text` as if it were the file at `path` (the test's self-check uses made-up files). */
export function scanText(path: string, text: string): SourceInfo {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return {
    path,
    lines: linesOf(text),
    imports: [...new Set(moduleSpecifiers(file).map((s) => resolveImport(path, s)))],
    findings: findingsOf(file),
  };
}

/** Every .ts file under src/, scanned. */
export function scanSources(): SourceInfo[] {
  return listFiles('src').map(scanFile);
}
