/**
 * The sample bank's calendar: U.S. federal holidays, business dates (weekend and holiday legs roll to the
 * next business day, 31 CFR 1010.313(b)), branch opening days and the America/Chicago UTC offset.
 * Self-contained so the generator does not depend on the engine it is meant to test.
 */

const DAY_MS = 86_400_000;

export function epochDayOf(isoDate: string): number {
  return Date.UTC(+isoDate.slice(0, 4), +isoDate.slice(5, 7) - 1, +isoDate.slice(8, 10)) / DAY_MS;
}

export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = Date.UTC(year, month - 1, 1) / DAY_MS;
  return first + ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7;
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const last = Date.UTC(year, month, 0) / DAY_MS;
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** The eleven U.S. federal holidays of `year`, on their actual (not observed) dates. */
function federalHolidays(year: number): number[] {
  const fixed = [[1, 1], [6, 19], [7, 4], [11, 11], [12, 25]].map(([m, d]) => Date.UTC(year, m! - 1, d!) / DAY_MS);
  return [
    ...fixed,
    nthWeekday(year, 1, 1, 3), // Martin Luther King Jr. Day
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    lastWeekday(year, 5, 1), // Memorial Day
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 10, 1, 2), // Columbus Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving Day
  ];
}

export interface HolidaySets {
  /** Federal Reserve closures: a Sunday holiday moves to Monday, a Saturday one is not moved. */
  fed: ReadonlySet<number>;
  /** Every day that some calendar treats as a holiday (actual dates, Fed and OPM observed dates). */
  any: ReadonlySet<number>;
}

export function holidaySets(firstYear: number, lastYear: number): HolidaySets {
  const fed = new Set<number>();
  const any = new Set<number>();
  for (let y = firstYear - 1; y <= lastYear + 1; y++) {
    for (const day of federalHolidays(y)) {
      const wd = weekdayOf(day);
      any.add(day);
      if (wd === 0) fed.add(day + 1);
      else if (wd !== 6) fed.add(day);
      if (wd === 0) any.add(day + 1);
      if (wd === 6) any.add(day - 1); // OPM observes a Saturday holiday on the Friday
    }
  }
  return { fed, any };
}

/**
 * UTC offset of America/Chicago in minutes on `day`, valid for wall times from 03:00 on (the generator
 * books nothing earlier): daylight time from the second Sunday in March to the first Sunday in November.
 */
export function chicagoOffsetMinutes(day: number): number {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  const dstStart = nthWeekday(year, 3, 0, 2);
  const dstEnd = nthWeekday(year, 11, 0, 1);
  return day >= dstStart && day < dstEnd ? -300 : -360;
}

export const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

let timeTable: string[] | undefined;

/** `HH:mm:ss` for every second of the day, built once. */
export function timesOfDay(): readonly string[] {
  if (!timeTable) {
    timeTable = new Array<string>(86_400);
    for (let s = 0; s < 86_400; s++) {
      timeTable[s] = PAD2[Math.floor(s / 3600)] + ':' + PAD2[Math.floor(s / 60) % 60] + ':' + PAD2[s % 60];
    }
  }
  return timeTable;
}
