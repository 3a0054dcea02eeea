/**
 * Business dates per 31 CFR 1010.313(b): deposits made at night, on a weekend or on a holiday count as
 * received on the next business day. Holidays are the Federal Reserve System's, computed by rule:
 * a holiday on a Sunday is observed on the Monday; one on a Saturday is not moved (Reserve Banks open
 * on the Friday before).
 */
import { dateOfEpochDay, epochDay } from './time.js';

const holidayYears = new Map<number, ReadonlySet<string>>();

export function federalReserveHolidays(year: number): ReadonlySet<string> {
  let set = holidayYears.get(year);
  if (!set) {
    set = new Set(computeHolidays(year));
    holidayYears.set(year, set);
  }
  return set;
}

function computeHolidays(year: number): string[] {
  const fixed = [[1, 1], [7, 4], [11, 11], [12, 25]];
  if (year >= 2022) fixed.push([6, 19]);
  const days = fixed.map(([m, d]) => observed(year, m!, d!));
  days.push(
    nthWeekday(year, 1, 1, 3), // Martin Luther King Jr. Day: third Monday of January
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    lastWeekday(year, 5, 1), // Memorial Day
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 10, 1, 2), // Columbus Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving Day
  );
  return days.map(dateOfEpochDay);
}

function observed(year: number, month: number, day: number): number {
  const d = Date.UTC(year, month - 1, day) / 86_400_000;
  return new Date(d * 86_400_000).getUTCDay() === 0 ? d + 1 : d;
}

function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = Date.UTC(year, month - 1, 1) / 86_400_000;
  const shift = (weekday - new Date(first * 86_400_000).getUTCDay() + 7) % 7;
  return first + shift + (n - 1) * 7;
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const last = Date.UTC(year, month, 0) / 86_400_000;
  const shift = (new Date(last * 86_400_000).getUTCDay() - weekday + 7) % 7;
  return last - shift;
}

export function isBusinessDay(day: number): boolean {
  const weekday = new Date(day * 86_400_000).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const date = dateOfEpochDay(day);
  return !federalReserveHolidays(Number(date.slice(0, 4))).has(date);
}

export interface BusinessDay {
  date: string;
  /** Days since 1970-01-01. */
  day: number;
}

/**
 * Maps a wall-clock instant (UTC epoch ms shifted by the local offset) to its business date.
 * `cutoffMinutes` is the institution's end of day; legs at or after it count on the next day.
 */
export function businessDayResolver(cutoffMinutes: number): (wallMs: number) => BusinessDay {
  const cache = new Map<number, BusinessDay>();
  return (wallMs) => {
    let day = Math.floor(wallMs / 86_400_000);
    const minutes = Math.floor((wallMs - day * 86_400_000) / 60_000);
    const key = day * 2 + (minutes >= cutoffMinutes ? 1 : 0);
    let hit = cache.get(key);
    if (!hit) {
      if (minutes >= cutoffMinutes) day += 1;
      while (!isBusinessDay(day)) day += 1;
      hit = { date: dateOfEpochDay(day), day };
      cache.set(key, hit);
    }
    return hit;
  };
}

export { epochDay };
