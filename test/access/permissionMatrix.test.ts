import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import '../../src/services.js';
import { operationRules } from '../../src/domain/access/matrix.js';
import {
  normaliseTable,
  permissionMatrixIn,
  permissionMatrixMarkdown,
} from '../../src/domain/access/matrixTable.js';

describe('permission matrix', () => {
  it('README renders exactly the matrix in code (run `npx tsx scripts/permissionMatrix.ts --write`)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.equal(permissionMatrixIn(readme), normaliseTable(permissionMatrixMarkdown()));
  });

  it('every operation names scopes and roles; read-only admins never write', () => {
    for (const [name, rule] of Object.entries(operationRules())) {
      assert.ok(rule.scopes.length > 0, name);
      if (rule.roles !== 'any' && rule.roles.includes('read_only_admin')) {
        assert.match(name, /\.(read|search|readSelf)$/, `${name} lets read-only admins in`);
      }
    }
  });
});
