/**
 * Keeps background traffic clear of XB-004 (rapid pass-through): after an inbound leg of at least
 * $3,000, the customer's outflows on that day and the next stay below $2,400, 80% of $3,000. A 24-hour
 * window that starts at the inflow ends the next day (nothing is booked between midnight and 04:00), so
 * no window can see 80% of its inbound total leave.
 */
import { DIRECTION, type LegBuffer } from './legs.js';

const LARGE_IN = 300_000;
const SPEND_CAP = 240_000;
const LONG_AGO = -1000;

export class OutflowLimit {
  /** The day being generated. */
  day = 0;
  /** Outflow cents per customer on the last two days (slot 2c + day parity), and the day each slot holds. */
  private readonly spentDay: Int32Array;
  private readonly spentCents: Float64Array;
  private readonly largeInDay: Int32Array;

  /** `barred` customers (the planted ones) may not receive a large inflow from the background at all. */
  constructor(n: number, private readonly barred: Uint8Array) {
    this.spentDay = new Int32Array(2 * n).fill(LONG_AGO);
    this.spentCents = new Float64Array(2 * n);
    this.largeInDay = new Int32Array(n).fill(LONG_AGO);
  }

  /** Legs already in `buf` (planted, or the businesses' deposits) count, whatever their size. */
  note(buf: LegBuffer): void {
    for (let i = 0; i < buf.size; i++) {
      const c = buf.cust[i]!;
      if (DIRECTION[buf.kind[i]!] === 'out') this.spend(c, buf.cents[i]!, true);
      else if (buf.cents[i]! >= LARGE_IN) this.largeInDay[c] = this.day;
    }
  }

  /** Books an outflow; refused when, after a large inflow yesterday or today, it would bring the two days to the cap. */
  spend(c: number, cents: number, forced = false): boolean {
    const d = this.day;
    const s = 2 * c + (d & 1);
    if (this.spentDay[s] !== d) {
      this.spentDay[s] = d;
      this.spentCents[s] = 0;
    }
    if (!forced && this.largeInDay[c]! >= d - 1 && this.spentOn(c, d - 1) + this.spentCents[s]! + cents >= SPEND_CAP) return false;
    this.spentCents[s]! += cents;
    return true;
  }

  /**
   * Books an inflow. A large one (a peso wire counts as large, whatever rate converts it) is refused for a
   * barred customer, and when yesterday's and today's outflows already reach the cap (today's may be
   * booked later in the day than the inflow).
   */
  receive(c: number, cents: number, pesos = false): boolean {
    if (cents < LARGE_IN && !pesos) return true;
    if (this.barred[c] || this.spentOn(c, this.day - 1) + this.spentOn(c, this.day) >= SPEND_CAP) return false;
    this.largeInDay[c] = this.day;
    return true;
  }

  private spentOn(c: number, day: number): number {
    const s = 2 * c + (day & 1);
    return this.spentDay[s] === day ? this.spentCents[s]! : 0;
  }
}
