/**
 * Repeated legs: a leg whose source file, account and txn_id repeat one already screened is screened
 * once. Checked once per leg for every rule (windowed, per-leg and graph alike), over the legs of the
 * last `keepMs`: the longest window plus the lateness the scan allows, beyond which a repeat would be
 * late anyway.
 */
import type { Txn } from '../ingest/canonical.js';

interface Seen {
  src: string;
  ts: number;
  /** Another leg of the account with the same txn_id from a different source file. */
  next: Seen | undefined;
}

const SWEEP_EVERY = 65_536;

export class RepeatedLegs {
  private readonly byAccount = new Map<string, Map<string, Seen>>();
  private checked = 0;

  constructor(private readonly keepMs: number) {}

  /** True when `t` repeats a leg already seen; otherwise it is remembered. */
  repeats(t: Txn): boolean {
    let ids = this.byAccount.get(t.account_id);
    if (!ids) this.byAccount.set(t.account_id, (ids = new Map()));
    const first = ids.get(t.txn_id);
    for (let s = first; s; s = s.next) if (s.src === t.src) return true;
    ids.set(t.txn_id, { src: t.src, ts: t.ts, next: first });
    // Judged against the leg being screened, not the latest time seen, which one mistyped date would move.
    if (++this.checked % SWEEP_EVERY === 0) this.forget(t.ts - this.keepMs);
    return false;
  }

  /** Forgets legs older than `before` (ms). */
  private forget(before: number): void {
    for (const [account, ids] of this.byAccount) {
      for (const [id, first] of ids) {
        if (first.next === undefined) {
          if (first.ts < before) ids.delete(id);
          continue;
        }
        let kept: Seen | undefined;
        for (let s: Seen | undefined = first; s; s = s.next) if (s.ts >= before) kept = { ...s, next: kept };
        if (kept) ids.set(id, kept);
        else ids.delete(id);
      }
      if (ids.size === 0) this.byAccount.delete(account);
    }
  }
}
