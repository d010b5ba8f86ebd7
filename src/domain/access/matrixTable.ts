import { operationRules } from './matrix.js';

/**
 * The permission matrix as a Markdown table (README's "Permission matrix" section is generated from
 * this by scripts/permissionMatrix.ts; test/access/permissionMatrix.test.ts keeps them equal).
 */
export function permissionMatrixMarkdown(): string {
  const rows = Object.entries(operationRules()).map(([name, rule]) => {
    const roles =
      rule.roles === 'any' ? 'any (no admin role needed)' : rule.roles.map((r) => `\`${r}\``).join(', ');
    const scopes = rule.scopes.map((s) => `\`${s}\``).join(', ');
    return `| \`${name}\` | ${scopes} | ${roles} | ${rule.describe.replace(/\|/g, '\\|')} |`;
  });
  return [
    '| operation | scopes (any of) | roles (any of) | what it allows |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export const MATRIX_BEGIN =
  '<!-- permission-matrix:begin (generated: npx tsx scripts/permissionMatrix.ts --write) -->';
export const MATRIX_END = '<!-- permission-matrix:end -->';

/** README with the generated table put between the markers. */
export function withPermissionMatrix(readme: string): string {
  const start = readme.indexOf(MATRIX_BEGIN);
  const end = readme.indexOf(MATRIX_END);
  if (start < 0 || end < start) throw new Error('README.md lacks the permission-matrix markers');
  return `${readme.slice(0, start + MATRIX_BEGIN.length)}\n${permissionMatrixMarkdown()}\n${readme.slice(end)}`;
}

/** The table currently between the markers (normalised: cells trimmed, so reformatting does not matter). */
export function permissionMatrixIn(readme: string): string {
  const start = readme.indexOf(MATRIX_BEGIN);
  const end = readme.indexOf(MATRIX_END);
  if (start < 0 || end < start) return '';
  return normaliseTable(readme.slice(start + MATRIX_BEGIN.length, end));
}

export function normaliseTable(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => (/^\s*:?-+:?\s*$/.test(cell) ? '---' : cell.trim()))
        .join('|'),
    )
    .join('\n');
}
