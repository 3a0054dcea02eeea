/**
 * Short attribute values repeat from leg to leg (states, ZIP codes, branch ids, dates). An interner hands
 * a leg the string an earlier leg had, when it is the one last seen in its slot of a small table, so that
 * legs a window holds for weeks share one copy: less memory, and less for the garbage collector to move.
 */

/** FNV-1a over the UTF-16 code units: a cheap 32-bit hash for short strings. */
export function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

const SLOTS = 1024;
/** Longer values (names, descriptions) rarely repeat exactly and are left as they are. */
const MAX_LENGTH = 24;

export function interner(): (text: string) => string {
  const table: string[] = new Array<string>(SLOTS).fill('');
  return (text) => {
    if (text.length >= MAX_LENGTH) return text;
    const slot = stringHash(text) & (SLOTS - 1);
    const seen = table[slot]!;
    if (seen === text) return seen;
    table[slot] = text;
    return text;
  };
}
