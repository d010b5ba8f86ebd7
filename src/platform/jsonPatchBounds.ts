/**
 * Bounds on the work a JSON Patch may cause, checked before each operation runs. Without them a
 * handful of `copy` operations doubles the document each time (20 of them: a million-fold).
 *
 * The document is measured in characters (string content and member names) and nodes (every
 * value); both are tracked incrementally, so each operation costs at most the size of the values
 * it moves, and no operation may take the document past the bounds. Strings are immutable in
 * JavaScript, so copies share them: a copy costs its node count, not its characters.
 */

/** Per top-level array member: how many elements, and how long each (a scalar) may be. */
export interface ArrayBound {
  maxItems: number;
  maxItemChars: number;
}

export interface PatchLimits {
  /** Operations in one patch. */
  maxOperations: number;
  /** Characters of string content and member names in the document, during and after the patch. */
  maxChars: number;
  /** Values (objects, arrays, strings, numbers, …) in the document, during and after the patch. */
  maxNodes: number;
  /** Top-level members holding arrays of scalars, bounded by the resource's own limits. */
  arrays?: Readonly<Record<string, ArrayBound>>;
}

/** For callers that name no resource limits: generous, but bounded. */
export const DEFAULT_PATCH_LIMITS: PatchLimits = {
  maxOperations: 100,
  maxChars: 1_048_576,
  maxNodes: 10_000,
};

export interface Size {
  chars: number;
  nodes: number;
}

/**
 * The size of a JSON value; stops early (returning a size past the cap) once `cap` is exceeded,
 * so measuring a huge value costs no more than the cap.
 */
export function measure(value: unknown, cap: Size = { chars: Infinity, nodes: Infinity }): Size {
  const size = { chars: 0, nodes: 0 };
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    size.nodes++;
    if (typeof v === 'string') size.chars += v.length;
    else if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) {
        size.chars += k.length;
        stack.push(item);
      }
    }
    if (size.nodes > cap.nodes || size.chars > cap.chars) return size;
  }
  return size;
}

/** A copy of a JSON value's structure; strings are shared (immutable), so this is O(nodes). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // A member named __proto__ must stay a plain member, never a prototype.
    Object.defineProperty(out, k, {
      value: cloneJson(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out as T;
}

/** Why an element would break an array bound, or undefined if it fits. */
export function itemProblem(member: string, item: unknown, bound: ArrayBound): string | undefined {
  if (typeof item === 'object' && item !== null) return `${member} elements must be single values`;
  const chars = typeof item === 'string' ? item.length : String(item).length;
  if (chars > bound.maxItemChars) {
    return `${member} elements may be at most ${bound.maxItemChars} characters`;
  }
  return undefined;
}

/** Why a whole array value would break its bound, or undefined if it fits. */
export function arrayProblem(member: string, value: unknown, bound: ArrayBound): string | undefined {
  if (!Array.isArray(value)) return undefined; // not an array: the resource's own validation refuses it
  if (value.length > bound.maxItems) return `${member} may have at most ${bound.maxItems} elements`;
  for (const item of value) {
    const problem = itemProblem(member, item, bound);
    if (problem) return problem;
  }
  return undefined;
}
