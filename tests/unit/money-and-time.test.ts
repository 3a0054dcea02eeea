import { describe, expect, it } from 'vitest';
import { businessDayResolver, federalReserveHolidays } from '../../src/ingest/business-date.js';
import { formatMinorUnits, literalToMinor, parseAmount, parseMinorUnits } from '../../src/ingest/decimal.js';
import { formatTimestamp, isoParser, patternParser, zoneOffsetMinutes } from '../../src/ingest/time.js';

describe('exact money', () => {
  it('parses decimals into integer minor units without binary rounding', () => {
    expect(parseMinorUnits('9999.99', 2)).toBe(999_999);
    expect(parseMinorUnits('10000', 2)).toBe(1_000_000);
    expect(parseMinorUnits('0.1', 2)).toBe(10);
    expect(parseMinorUnits('1.10', 2)).toBe(110);
    expect(parseMinorUnits('12345.670', 2)).toBe(1_234_567);
    expect(parseMinorUnits('1500', 0)).toBe(1500);
    expect(parseMinorUnits('0.00012345', 8)).toBe(12_345);
    expect((parseMinorUnits('9999.99', 2) as number) < (parseMinorUnits('10000.00', 2) as number)).toBe(true);
  });

  it('rejects what is not a plain positive decimal, saying why', () => {
    expect(parseMinorUnits('1,234.56', 2)).toMatch(/not a plain decimal/);
    expect(parseMinorUnits('-5.00', 2)).toMatch(/negative/);
    expect(parseMinorUnits('1.005', 2)).toMatch(/more than 2 decimal places/);
    expect(parseMinorUnits('1e5e', 2)).toMatch(/not a plain decimal/);
    expect(parseMinorUnits('', 2)).toMatch(/not a number/);
    expect(parseMinorUnits('abc', 2)).toMatch(/not a plain decimal/);
  });

  it('reads exponent notation exactly, as some tools write small amounts', () => {
    expect(parseMinorUnits('3.4e-05', 8)).toBe(3400);
    expect(parseMinorUnits('1e5', 2)).toBe(10_000_000);
    expect(parseMinorUnits('1.25E+3', 2)).toBe(125_000);
  });

  it('keeps the precision an export writes, at least the currency minor unit, and USD in cents', () => {
    expect(parseAmount('1500', 'JPY')).toEqual({ minor: 1500, exp: 0 });
    expect(parseAmount('1949818.73', 'JPY')).toEqual({ minor: 194_981_873, exp: 2 });
    expect(parseAmount('10.50', 'USD')).toEqual({ minor: 1050, exp: 2 });
    expect(parseAmount('10.005', 'USD')).toMatch(/more than 2 decimal places/);
  });

  it('turns rule literals into minor units exactly, numbers and strings alike', () => {
    expect(literalToMinor(9999.99, 2)).toBe(999_999);
    expect(literalToMinor('20000', 2)).toBe(2_000_000);
    expect(literalToMinor(0.1, 2)).toBe(10);
    expect(formatMinorUnits(999_999, 2)).toBe('9999.99');
    expect(formatMinorUnits(5, 2)).toBe('0.05');
    expect(formatMinorUnits(1500, 0)).toBe('1500');
  });
});

describe('explicit time', () => {
  it('reads ISO 8601 with an offset', () => {
    const t = isoParser(undefined)('2026-02-03T10:15:00-06:00');
    expect(t).toEqual({ ts: Date.UTC(2026, 1, 3, 16, 15), offsetMinutes: -360 });
    expect(isoParser(undefined)('2026-02-03T16:15:00Z')).toEqual({ ts: Date.UTC(2026, 1, 3, 16, 15), offsetMinutes: 0 });
  });

  it('refuses a timestamp without offset when no time zone is set, and rejects impossible dates', () => {
    expect(isoParser(undefined)('2026-02-03T10:15:00')).toMatch(/no UTC offset and no time zone/);
    expect(isoParser('UTC')('2026-02-31T10:15:00Z')).toMatch(/no such date/);
    expect(isoParser('UTC')('yesterday')).toMatch(/not an ISO 8601/);
  });

  it('places naive wall-clock times in a named zone across daylight saving time', () => {
    const chicago = patternParser('MM/DD/YYYY HH:mm:ss', 'America/Chicago');
    expect(chicago('03/07/2026 12:00:00')).toEqual({ ts: Date.UTC(2026, 2, 7, 18), offsetMinutes: -360 });
    expect(chicago('03/09/2026 12:00:00')).toEqual({ ts: Date.UTC(2026, 2, 9, 17), offsetMinutes: -300 });
    expect(chicago('13/09/2026 12:00:00')).toMatch(/no such date/);
    expect(zoneOffsetMinutes('America/Los_Angeles', Date.UTC(2026, 6, 1))).toBe(-420);
    expect(formatTimestamp(Date.UTC(2026, 1, 3, 16, 15), -360)).toBe('2026-02-03T10:15:00-06:00');
  });
});

describe('business dates (31 CFR 1010.313(b))', () => {
  const day = (iso: string) => Date.parse(iso + 'Z');

  it('rolls weekends and Federal Reserve holidays to the next business day', () => {
    const bd = businessDayResolver(24 * 60);
    expect(bd(day('2026-02-07T11:00:00')).date).toBe('2026-02-09'); // Saturday → Monday
    expect(bd(day('2026-02-14T11:00:00')).date).toBe('2026-02-17'); // Saturday → Tuesday after Presidents' Day
    expect(bd(day('2026-07-03T11:00:00')).date).toBe('2026-07-03'); // July 4 is a Saturday: no Friday closure
    expect(bd(day('2026-02-10T23:59:00')).date).toBe('2026-02-10');
  });

  it('moves legs after the cutoff to the next business day', () => {
    const bd = businessDayResolver(18 * 60);
    expect(bd(day('2026-02-10T17:59:00')).date).toBe('2026-02-10');
    expect(bd(day('2026-02-10T18:00:00')).date).toBe('2026-02-11');
    expect(bd(day('2026-02-13T19:00:00')).date).toBe('2026-02-17'); // Friday night → Tuesday (Monday is a holiday)
  });

  it('knows the Federal Reserve holiday calendar', () => {
    expect([...federalReserveHolidays(2026)].sort()).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-04', '2026-09-07',
      '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ]);
    expect(federalReserveHolidays(2027).has('2027-07-05')).toBe(true); // July 4 2027 is a Sunday: observed Monday
    expect(federalReserveHolidays(2021).has('2021-06-18')).toBe(false); // Juneteenth: Reserve Banks from 2022
  });
});
