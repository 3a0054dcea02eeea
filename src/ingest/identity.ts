/** A leg's identity across runs: sha256 of its source file id and txn_id. */
import { createHash } from 'node:crypto';
import type { Txn } from './canonical.js';

const gids = new WeakMap<Txn, string>();

/** sha256(source_file_id + "\n" + txn_id): a leg's identity across runs. */
export function globalId(t: Txn): string {
  let id = gids.get(t);
  if (!id) {
    id = createHash('sha256').update(`${t.src}\n${t.txn_id}`).digest('hex');
    gids.set(t, id);
  }
  return id;
}
