import {format, formatDistanceStrict, formatISO, intervalToDuration, type Locale} from 'date-fns';
// The mini date: UTCDate's toString makes three Intl.DateTimeFormat at import, which start ICU (~12 ms) before a first frame.
import {UTCDateMini as UTCDate} from '@date-fns/utc/date/mini';

/** How times are written: local time or UTC (`--utc`). */
export interface TimeOptions {
  utc: boolean;
}

function toDate(seconds: number, options: TimeOptions): Date {
  return options.utc ? new UTCDate(seconds * 1000) : new Date(seconds * 1000);
}

/** `2026-11-25 11:42:07` (local) or `2026-11-25 11:42:07 UTC`. */
export function formatAbsolute(seconds: number, options: TimeOptions): string {
  const date = toDate(seconds, options);
  return options.utc ? `${format(date, 'yyyy-MM-dd HH:mm:ss')} UTC` : format(date, 'yyyy-MM-dd HH:mm:ss');
}

/** `11:42:07` (or `11:42:07 UTC`): a time of today, for "refreshed at". */
export function formatClock(seconds: number, options: TimeOptions): string {
  const text = format(toDate(seconds, options), 'HH:mm:ss');
  return options.utc ? `${text} UTC` : text;
}

/**
 * `clock pinned to 2026-11-25 12:00 UTC` (seconds only when set): the header's note that times are
 * as of a chosen instant, not now. Always UTC, the zone the instant is usually written in.
 */
export function pinnedClockNote(milliseconds: number): string {
  const date = new UTCDate(milliseconds);
  return `clock pinned to ${format(date, date.getUTCSeconds() === 0 ? 'yyyy-MM-dd HH:mm' : 'yyyy-MM-dd HH:mm:ss')} UTC`;
}

/** RFC 3339, for piped output (as `gh` does): `2026-11-25T11:42:07Z` or with the local offset. */
export function formatRfc3339(seconds: number, options: TimeOptions): string {
  return formatISO(toDate(seconds, options));
}

const UNIT_LETTERS: Record<string, string> = {
  xSeconds: 's',
  xMinutes: 'm',
  xHours: 'h',
  xDays: 'd',
  xMonths: 'mo',
  xYears: 'y',
};

/**
 * A date-fns locale that writes distances as `3m`, `2h`, `5d`: the words of the default locale
 * ("about 2 hours") are too wide for a table column and too vague for a ticking countdown.
 */
const compactLocale: Pick<Locale, 'code' | 'formatDistance'> = {
  code: 'en-compact',
  formatDistance: (token, count, options) => {
    const text = `${count}${UNIT_LETTERS[token] ?? ''}`;
    if (!options?.addSuffix) return text;
    return (options.comparison ?? 0) > 0 ? `in ${text}` : `${text} ago`;
  },
};

const DURATION_UNITS = ['years', 'months', 'days', 'hours', 'minutes', 'seconds'] as const;
const DURATION_LETTERS = {years: 'y', months: 'mo', days: 'd', hours: 'h', minutes: 'm', seconds: 's'} as const;

/** A compact duration with its two largest units: `45s`, `3m 12s`, `2h 5m`, `3d 4h`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds === 0) return '0s';
  const duration = intervalToDuration({start: 0, end: seconds * 1000});
  const parts: string[] = [];
  for (const unit of DURATION_UNITS) {
    const value = duration[unit];
    if (value) parts.push(`${value}${DURATION_LETTERS[unit]}`);
    else if (parts.length > 0) break;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** The largest unit only, for narrow columns: `45s`, `3m`, `2h`, `3d`, `2y`. */
export function formatDurationShort(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  return formatDistanceStrict(0, seconds * 1000, {locale: compactLocale, roundingMethod: 'floor'});
}

/** `3m ago` or `in 3m` relative to `nowSeconds`. */
export function formatRelative(seconds: number, nowSeconds: number): string {
  if (Math.abs(nowSeconds - seconds) < 1) return 'now';
  return formatDistanceStrict(seconds * 1000, nowSeconds * 1000, {
    locale: compactLocale,
    addSuffix: true,
    roundingMethod: 'floor',
  });
}

/** `2026-11-25 11:42:07 (3m 12s ago)`, the form detail panes use for every timestamp. */
export function formatTimestamp(seconds: number, nowSeconds: number, options: TimeOptions): string {
  const relative = nowSeconds - seconds;
  const words = Math.abs(relative) < 1 ? 'now' : relative > 0 ? `${formatDuration(relative)} ago` : `in ${formatDuration(-relative)}`;
  return `${formatAbsolute(seconds, options)} (${words})`;
}
