/** SailPoint standard collection `filters` parameter: parse it and compile it to SQL. */
export {
  parseSailPointFilter,
  type SailPointCompareOp,
  type SailPointFilter,
  type SailPointOp,
  type SailPointValue,
} from './sailpoint/parse.js';
export { compileSailPointFilter, type SailPointField, type SailPointFields } from './sailpoint/compile.js';
export {
  type ColumnAttribute,
  type ComputedAttribute,
  type CustomCompile,
  type FilterAttribute,
  type FilterLiteral,
  type FilterOp,
  type FilterType,
} from './compare.js';
