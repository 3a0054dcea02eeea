/** The generated period, one entry per calendar day, with the strings every leg of that day shares. */
import { chicagoOffsetMinutes, epochDayOf, holidaySets, isoDateOf, PAD2, weekdayOf } from './calendar.js';

export interface Period {
  /** First day (days since 1970-01-01) and number of days. */
  start: number;
  days: number;
  weekday: Uint8Array;
  /** Federal Reserve business day. */
  business: Uint8Array;
  /** Branches open for teller business: Monday–Saturday and a holiday in no calendar. */
  open: Uint8Array;
  /** Business date (days since 1970-01-01) of legs booked on this day. */
  bday: Int32Array;
  iso: string[];
  /** `YYYY-MM-DDT`, the offset suffix (`-06:00`) and `MM/DD/YYYY ` of each day. */
  isoPrefix: string[];
  offset: string[];
  usPrefix: string[];
  /** Day indices of open Monday–Friday business days, in order. */
  weekdays: number[];
}

export function buildPeriod(start: string, days: number): Period {
  const first = epochDayOf(start);
  const year0 = Number(start.slice(0, 4));
  const hol = holidaySets(year0, Number(isoDateOf(first + days + 14).slice(0, 4)));
  const isBusiness = (d: number): boolean => weekdayOf(d) % 6 !== 0 && !hol.fed.has(d);
  const p: Period = {
    start: first, days, weekday: new Uint8Array(days), business: new Uint8Array(days), open: new Uint8Array(days),
    bday: new Int32Array(days), iso: [], isoPrefix: [], offset: [], usPrefix: [], weekdays: [],
  };
  for (let i = 0; i < days; i++) {
    const d = first + i;
    const wd = weekdayOf(d);
    p.weekday[i] = wd;
    p.business[i] = isBusiness(d) ? 1 : 0;
    p.open[i] = wd !== 0 && !hol.any.has(d) ? 1 : 0;
    let b = d;
    while (!isBusiness(b)) b++;
    p.bday[i] = b;
    const iso = isoDateOf(d);
    p.iso.push(iso);
    p.isoPrefix.push(iso + 'T');
    p.offset.push(formatOffset(chicagoOffsetMinutes(d)));
    p.usPrefix.push(iso.slice(5, 7) + '/' + iso.slice(8, 10) + '/' + iso.slice(0, 4) + ' ');
    if (p.open[i] && wd !== 6) p.weekdays.push(i);
  }
  return p;
}

function formatOffset(minutes: number): string {
  const a = Math.abs(minutes);
  return (minutes < 0 ? '-' : '+') + PAD2[Math.floor(a / 60)] + ':' + PAD2[a % 60];
}
