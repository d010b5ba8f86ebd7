/**
 * Compiles a parsed SCIM filter into a Kysely WHERE expression over the attributes an endpoint
 * declares filterable. Unknown attributes, operators a type does not support and malformed
 * date-times are Invalid('filter', …) with scimType invalidFilter.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import {
  compileComparison,
  lookupAttribute,
  type FilterAttribute,
  type FilterAttributes,
} from '../compare.js';
import { scimInvalid, type ScimAttrPath, type ScimFilter } from './parse.js';

export interface ScimCompileOptions {
  /**
   * Schema URIs whose attributes may be written URN-prefixed and resolve to the plain key
   * (`urn:…:core:2.0:User:userName` → 'username'). When omitted any URI prefix is accepted.
   * A key spelled with its URI in the attribute map (lowercase) always matches first.
   */
  schemas?: readonly string[];
}

/**
 * @param attributes filterable attributes keyed by lowercase attribute path ('subject.value').
 * A value filter `a[b op v]` compiles as `a.b op v` when 'a.b' is declared, and is rejected otherwise.
 */
export function compileScimFilter(
  ast: ScimFilter,
  attributes: FilterAttributes,
  options: ScimCompileOptions = {},
): Expression<SqlBool> {
  const schemas = options.schemas?.map((u) => u.toLowerCase());

  /** Candidate map keys for a path, most specific first. */
  const keysFor = (attr: ScimAttrPath): string[] => {
    const path = (attr.subAttr ? `${attr.name}.${attr.subAttr}` : attr.name).toLowerCase();
    if (attr.uri === undefined) return [path];
    const uri = attr.uri.toLowerCase();
    return !schemas || schemas.includes(uri) ? [`${uri}:${path}`, path] : [`${uri}:${path}`];
  };

  const resolve = (attr: ScimAttrPath, parent?: ScimAttrPath): { spec: FilterAttribute; name: string } => {
    let keys = keysFor(attr);
    let name = written(attr);
    if (parent) {
      // Inside `parent[…]` names are relative; a URI or a second level cannot name a declared column.
      keys = attr.uri || attr.subAttr ? [] : keysFor(parent).map((k) => `${k}.${attr.name.toLowerCase()}`);
      name = `${written(parent)}.${attr.name}`;
    }
    for (const key of keys) {
      const spec = lookupAttribute(attributes, key);
      if (spec) return { spec, name };
    }
    return scimInvalid(`unknown or unfilterable attribute '${name}'`, {
      attribute: name,
      position: attr.pos,
    });
  };

  const compile = (node: ScimFilter, parent?: ScimAttrPath): Expression<SqlBool> => {
    switch (node.type) {
      case 'and':
      case 'or':
        return sql<SqlBool>`(${sql.join(
          node.filters.map((f) => compile(f, parent)),
          node.type === 'and' ? sql` and ` : sql` or `,
        )})`;
      case 'not':
        return sql<SqlBool>`(not ${compile(node.filter, parent)})`;
      case 'valuePath':
        return compile(node.filter, node.attr);
      case 'present': {
        const { spec, name } = resolve(node.attr, parent);
        return compileComparison(spec, name, 'pr', undefined, failAt(node.pos, name));
      }
      case 'compare': {
        const { spec, name } = resolve(node.attr, parent);
        return compileComparison(spec, name, node.op, node.value, failAt(node.pos, name));
      }
    }
  };

  return compile(ast);
}

function failAt(position: number, attribute: string) {
  return (reason: string): never => scimInvalid(reason, { attribute, position });
}

function written(attr: ScimAttrPath): string {
  const path = attr.subAttr ? `${attr.name}.${attr.subAttr}` : attr.name;
  return attr.uri ? `${attr.uri}:${path}` : path;
}
