/**
 * Lists in time order, shared by the engine's windows and buffers and the graph screen: where a time
 * falls in one, and cutting off the entries at its front that are spent.
 */

/** The index of the first entry from `lo` on later than `since`, in a list in time order. */
export function firstAfter(list: readonly { readonly ts: number }[], since: number, lo = 0): number {
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.ts > since) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The same for a list of times. */
export function firstTimeAfter(ts: readonly number[], since: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! > since) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Whether a list whose first `head` entries are spent should be cut. A quarter, not a half: V8 frees the
 * storage of an array cut to less than about half its capacity, and the next pushes allocate it again.
 */
export function worthCutting(head: number, length: number): boolean {
  return head > 0 && head * 4 >= length;
}

/**
 * Removes the first n entries of a list of objects in place: splice would allocate an array of the
 * removed ones, and copyWithin runs as generic code, many times slower than this loop.
 */
export function dropFront<T extends object>(list: T[], n: number): void {
  const len = list.length - n;
  for (let i = 0; i < len; i++) list[i] = list[i + n]!;
  list.length = len;
}

/**
 * The same for a list of numbers. Not one generic function for both: V8 makes a store that sees arrays of
 * objects and of numbers work for both by turning the arrays of numbers into arrays of objects, and every
 * time that is not a small integer then becomes an object of its own, allocated when it is stored.
 */
export function dropFrontNumbers(list: number[], n: number): void {
  const len = list.length - n;
  for (let i = 0; i < len; i++) list[i] = list[i + n]!;
  list.length = len;
}
