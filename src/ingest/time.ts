/**
 * Explicit time: every timestamp becomes UTC epoch milliseconds, either from the offset it carries or
 * from a named IANA time zone; a timestamp with neither is rejected rather than guessed.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface ParsedTime {
  /** UTC epoch milliseconds. */
  ts: number;
  /** Offset of the wall-clock time as written, in minutes east of UTC. */
  offsetMinutes: number;
}

/** A compiled timestamp parser: text → time, or a string saying what is wrong. */
export type TimeParser = (text: string) => ParsedTime | string;

const offsetCache = new Map<string, Map<number, number>>();

/** Minutes east of UTC in `zone` at the instant `utcMs` (cached per zone and UTC hour). */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  let byHour = offsetCache.get(zone);
  if (!byHour) offsetCache.set(zone, (byHour = new Map()));
  const hour = Math.floor(utcMs / HOUR_MS);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    offset = computeOffset(zone, hour * HOUR_MS);
    byHour.set(hour, offset);
  }
  return offset;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function computeOffset(zone: string, utcMs: number): number {
  let fmt = formatters.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, fmt);
  }
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(utcMs))) p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return Math.round((wall - utcMs) / 60_000);
}

/** Checks that `zone` is an IANA time zone this Node.js knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** UTC instant of a wall-clock time in `zone`. */
export function wallToUtc(wallMs: number, zone: string): number {
  const first = wallMs - zoneOffsetMinutes(zone, wallMs) * 60_000;
  const second = wallMs - zoneOffsetMinutes(zone, first) * 60_000;
  return second;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * ISO 8601: `2026-02-03T10:15:00-06:00`, `...Z`, or, when a zone is given, a local
 * `2026-02-03 10:15:00` or a bare date (midnight in that zone).
 */
export function isoParser(zone: string | undefined): TimeParser {
  return (text) => {
    const fast = fastIso(text);
    if (fast !== undefined) return fast;
    const m = ISO.exec(text);
    if (!m) return `'${text}' is not an ISO 8601 timestamp (expected e.g. 2026-02-03T10:15:00-06:00)`;
    const wall = wallMs(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7]);
    if (typeof wall === 'string') return `'${text}': ${wall}`;
    const tz = m[8];
    if (tz !== undefined) {
      const offsetMinutes = tz === 'Z' ? 0 : parseOffset(tz);
      if (Math.abs(offsetMinutes) > 18 * 60 || Number(tz.slice(-2)) > 59) return `'${text}' has an impossible UTC offset`;
      return { ts: wall - offsetMinutes * 60_000, offsetMinutes };
    }
    return fromZone(text, wall, zone);
  };
}

/** The common exact shapes `YYYY-MM-DDTHH:MM:SS±HH:MM` and `YYYY-MM-DDTHH:MM:SSZ`, without a regex. */
function fastIso(s: string): ParsedTime | undefined {
  const n = s.length;
  if ((n !== 25 && n !== 20) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 ||
      s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || (d > 28 && d > daysInMonth(y, mo)) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  let offsetMinutes = 0;
  if (n === 25) {
    const sign = s.charCodeAt(19);
    const oh = digits(s, 20, 2), om = digits(s, 23, 2);
    if ((sign !== 43 && sign !== 45) || s.charCodeAt(22) !== 58 || oh < 0 || oh > 18 || om < 0 || om > 59) return undefined;
    offsetMinutes = (sign === 45 ? -1 : 1) * (oh * 60 + om);
  } else if (s.charCodeAt(19) !== 90) {
    return undefined;
  }
  return { ts: daysFromCivil(y, mo, d) * 86_400_000 + (h * 3600 + mi * 60 + sec) * 1000 - offsetMinutes * 60_000, offsetMinutes };
}

/** Days since 1970-01-01 of a proleptic Gregorian date, in integer arithmetic (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The decimal value of `len` ASCII digits at `at`, or -1. */
function digits(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function parseOffset(tz: string): number {
  const sign = tz[0] === '-' ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function fromZone(text: string, wall: number, zone: string | undefined): ParsedTime | string {
  if (zone === undefined) {
    return `'${text}' has no UTC offset and no time zone is set (set "timestamp.timezone" in the mapping or --timezone)`;
  }
  const ts = wallToUtc(wall, zone);
  const offsetMinutes = zoneOffsetMinutes(zone, ts);
  // A wall-clock time skipped by a daylight-saving change does not exist in that zone.
  if (ts + offsetMinutes * 60_000 !== wall) return `'${text}' does not exist in ${zone} (clocks moved forward)`;
  return { ts, offsetMinutes };
}

function wallMs(y: number, mo: number, d: number, h: number, mi: number, s: number, frac?: string): number | string {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return 'no such date';
  if (h > 23 || mi > 59 || s > 59) return 'no such time of day';
  const ms = frac ? Math.floor(Number(('0.' + frac)) * 1000) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, mo: number): number {
  if (mo !== 2) return MONTH_DAYS[mo - 1]!;
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
}

const TOKENS: Record<string, string> = {
  YYYY: '(?<Y>\\d{4})', MM: '(?<M>\\d{2})', M: '(?<M>\\d{1,2})', DD: '(?<D>\\d{2})', D: '(?<D>\\d{1,2})',
  HH: '(?<h>\\d{2})', H: '(?<h>\\d{1,2})', mm: '(?<m>\\d{2})', ss: '(?<s>\\d{2})', SSS: '(?<f>\\d{1,9})',
};
const TOKEN_RE = /YYYY|SSS|MM|DD|HH|mm|ss|M|D|H/g;

/** Compiles a pattern such as `MM/DD/YYYY HH:mm:ss` into a parser of wall-clock times in `zone`. */
export function patternParser(pattern: string, zone: string | undefined): TimeParser {
  let source = '';
  let last = 0;
  for (const m of pattern.matchAll(TOKEN_RE)) {
    source += escapeRegex(pattern.slice(last, m.index)) + TOKENS[m[0]];
    last = m.index! + m[0].length;
  }
  const re = new RegExp('^' + source + escapeRegex(pattern.slice(last)) + '$');
  return (text) => {
    const g = re.exec(text.trim())?.groups;
    if (!g) return `'${text}' does not match the timestamp format ${pattern}`;
    const wall = wallMs(+g.Y!, +g.M!, +g.D!, +(g.h ?? 0), +(g.m ?? 0), +(g.s ?? 0), g.f);
    if (typeof wall === 'string') return `'${text}': ${wall}`;
    return fromZone(text, wall, zone);
  };
}

/** Checks a timestamp pattern: it needs at least a year, month and day. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern === 'ISO') return undefined;
  const found = new Set(Array.from(pattern.matchAll(TOKEN_RE), (m) => m[0][0]));
  for (const need of ['Y', 'M', 'D']) {
    if (!found.has(need)) return `timestamp format '${pattern}' has no ${need === 'Y' ? 'YYYY' : need + need} token`;
  }
  return undefined;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function epochDay(isoDate: string): number {
  return Date.UTC(+isoDate.slice(0, 4), +isoDate.slice(5, 7) - 1, +isoDate.slice(8, 10)) / DAY_MS;
}

export function dateOfEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO 8601 text of an instant at a fixed offset, e.g. 2026-02-03T10:15:00-06:00. */
export function formatTimestamp(ts: number, offsetMinutes: number): string {
  const wall = new Date(ts + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return wall + 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export const DURATION_RE = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };

/** Parses `14d`, `24h`, `90m` into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit]! === 0 && ms >= UNIT_MS[unit]!) return `${ms / UNIT_MS[unit]!}${unit}`;
  }
  return `${ms}ms`;
}
