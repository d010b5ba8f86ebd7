/** SCIM 2.0 filters (RFC 7644 §3.4.2.2): parse the `filter` query parameter and compile it to SQL. */
export {
  parseScimFilter,
  type ScimAttrPath,
  type ScimCompareOp,
  type ScimFilter,
  type ScimValue,
} from './scim/parse.js';
export { compileScimFilter, type ScimCompileOptions } from './scim/compile.js';
export {
  parseDateTime,
  type ColumnAttribute,
  type ComputedAttribute,
  type CustomCompile,
  type FilterAttribute,
  type FilterAttributes,
  type FilterLiteral,
  type FilterOp,
  type FilterType,
} from './compare.js';
