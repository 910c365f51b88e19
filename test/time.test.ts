import {afterEach, describe, expect, it} from 'vitest';
import {formatAbsolute, formatDuration, formatDurationShort, formatRelative, formatRfc3339, formatTimestamp} from '../src/format/time.js';

const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.4, '0s'],
    [-5, '0s'],
    [1, '1s'],
    [45, '45s'],
    [59.6, '1m'],
    [60, '1m'],
    [192, '3m 12s'],
    [3600, '1h'],
    [3601, '1h'],
    [3661, '1h 1m'],
    [7500, '2h 5m'],
    [86_400, '1d'],
    [86_400 + 5, '1d'],
    [3 * 86_400 + 4 * 3600 + 59, '3d 4h'],
    [593_468, '6d 20h'],
  ])('%s seconds → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('shows at most two units', () => {
    for (const seconds of [1, 61, 3661, 90_061, 2_678_461, 40_000_000]) {
      expect(formatDuration(seconds).split(' ').length).toBeLessThanOrEqual(2);
    }
  });
});

describe('formatDurationShort', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [90, '1m'],
    [3599, '59m'],
    [7200, '2h'],
    [86_399, '23h'],
    [3 * 86_400, '3d'],
    [-10, '0s'],
  ])('%s seconds → %s', (seconds, text) => {
    expect(formatDurationShort(seconds)).toBe(text);
  });
});

describe('formatRelative', () => {
  it('says ago for the past, in for the future, now within a second', () => {
    expect(formatRelative(NOW - 30, NOW)).toBe('30s ago');
    expect(formatRelative(NOW - 4 * 60 - 54, NOW)).toBe('4m ago');
    expect(formatRelative(NOW - 18 * 3600, NOW)).toBe('18h ago');
    expect(formatRelative(NOW + 300, NOW)).toBe('in 5m');
    expect(formatRelative(NOW, NOW)).toBe('now');
    expect(formatRelative(NOW - 0.5, NOW)).toBe('now');
  });

  it('fits the 8-column CREATED cell for any age up to years', () => {
    for (const age of [1, 59, 3599, 86_399, 30 * 86_400, 400 * 86_400, 20 * 365 * 86_400]) {
      expect(formatRelative(NOW - age, NOW).length).toBeLessThanOrEqual(8);
    }
  });
});

describe('absolute times', () => {
  const originalTz = process.env['TZ'];
  afterEach(() => {
    if (originalTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = originalTz;
  });

  it('UTC: yyyy-MM-dd HH:mm:ss UTC and RFC 3339 with Z', () => {
    expect(formatAbsolute(NOW - 294, {utc: true})).toBe('2026-11-25 11:55:06 UTC');
    expect(formatRfc3339(NOW - 294, {utc: true})).toBe('2026-11-25T11:55:06Z');
  });

  it('UTC output does not depend on the local time zone', () => {
    process.env['TZ'] = 'America/New_York';
    expect(formatAbsolute(NOW, {utc: true})).toBe('2026-11-25 12:00:00 UTC');
    expect(formatRfc3339(NOW, {utc: true})).toBe('2026-11-25T12:00:00Z');
  });

  it('local time uses the local offset', () => {
    process.env['TZ'] = 'America/New_York';
    expect(formatAbsolute(NOW, {utc: false})).toBe('2026-11-25 07:00:00');
    expect(formatRfc3339(NOW, {utc: false})).toBe('2026-11-25T07:00:00-05:00');
    process.env['TZ'] = 'Asia/Kolkata';
    expect(formatRfc3339(NOW, {utc: false})).toBe('2026-11-25T17:30:00+05:30');
  });

  it('formatTimestamp adds the distance from now', () => {
    expect(formatTimestamp(NOW - 294, NOW, {utc: true})).toBe('2026-11-25 11:55:06 UTC (4m 54s ago)');
    expect(formatTimestamp(NOW + 306, NOW, {utc: true})).toBe('2026-11-25 12:05:06 UTC (in 5m 6s)');
    expect(formatTimestamp(NOW, NOW, {utc: true})).toBe('2026-11-25 12:00:00 UTC (now)');
  });
});
