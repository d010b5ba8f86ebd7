/**
 * Compiles a parsed SailPoint `filters` expression into a Kysely WHERE expression. Each endpoint
 * lists its filterable fields and, per field, the operators its documentation allows; anything
 * else is Invalid('filters', 'unsupported field X' / 'operator Y not supported for X').
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { compileComparison, lookupAttribute, type FilterAttribute, type FilterLiteral } from '../compare.js';
import { sailPointInvalid, type SailPointFilter, type SailPointOp, type SailPointValue } from './parse.js';

/** A filterable field: where it is stored plus the operators the endpoint supports for it. */
export type SailPointField = FilterAttribute & { ops: readonly SailPointOp[] };

/** Filterable fields keyed by their exact (case-sensitive) API name, e.g. 'lastUsed'. */
export type SailPointFields = Readonly<Record<string, SailPointField>>;

export function compileSailPointFilter(ast: SailPointFilter, fields: SailPointFields): Expression<SqlBool> {
  const field = (name: string, op: SailPointOp, pos: number): SailPointField => {
    const spec = lookupAttribute(fields, name);
    if (!spec) return sailPointInvalid(`unsupported field ${name}`, { field: name, position: pos });
    if (!spec.ops.includes(op))
      return sailPointInvalid(`operator ${op} not supported for ${name}`, {
        field: name,
        operator: op,
        position: pos,
      });
    return spec;
  };
  const fail =
    (name: string, pos: number) =>
    (reason: string): never =>
      sailPointInvalid(reason, { field: name, position: pos });

  const compile = (node: SailPointFilter): Expression<SqlBool> => {
    switch (node.type) {
      case 'and':
      case 'or':
        return sql<SqlBool>`(${sql.join(node.filters.map(compile), node.type === 'and' ? sql` and ` : sql` or `)})`;
      case 'not':
        return sql<SqlBool>`(not ${compile(node.filter)})`;
      case 'pr':
      case 'isnull': {
        const spec = field(node.field, node.type, node.pos);
        return compileComparison(spec, node.field, node.type, undefined, fail(node.field, node.pos));
      }
      case 'in': {
        const spec = field(node.field, 'in', node.pos);
        const values = node.values.map((v) => literal(spec, node.field, v, node.pos));
        return compileComparison(spec, node.field, 'in', values, fail(node.field, node.pos));
      }
      case 'compare': {
        const spec = field(node.field, node.op, node.pos);
        const value = literal(spec, node.field, node.value, node.pos);
        return compileComparison(spec, node.field, node.op, value, fail(node.field, node.pos));
      }
    }
  };
  return compile(ast);
}

/** An unquoted date-time only makes sense for a datetime field; a quoted one is fine there too. */
function literal(spec: SailPointField, name: string, v: SailPointValue, pos: number): FilterLiteral {
  if (v.kind === 'datetime' && spec.type !== 'datetime') {
    sailPointInvalid(`${name} is not a date-time field; quote '${v.value}' to compare it as a string`, {
      field: name,
      position: pos,
    });
  }
  return v.value;
}
