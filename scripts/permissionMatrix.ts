/**
 * Prints the permission matrix (src/domain/access/matrix.ts, every family's operations) as Markdown;
 * `--write` puts it into README.md between the permission-matrix markers.
 *   npx tsx scripts/permissionMatrix.ts [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// Every domain module, so operations registered at module load (registerOperations) are included.
import '../src/services.js';
import { permissionMatrixMarkdown, withPermissionMatrix } from '../src/domain/access/matrixTable.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
if (process.argv.includes('--write')) {
  writeFileSync(readme, withPermissionMatrix(readFileSync(readme, 'utf8')));
  process.stdout.write('README.md: permission matrix updated\n');
} else {
  process.stdout.write(`${permissionMatrixMarkdown()}\n`);
}
