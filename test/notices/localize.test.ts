import { describe, expect, it } from 'vitest';
import { formatNoticeDate, formatNoticeDuration, parseDuration } from 'purpose-bound';

const d = (iso: string) => {
  const parsed = parseDuration(iso);
  if (!parsed) throw new Error(`bad duration ${iso}`);
  return parsed;
};

describe('formatNoticeDate', () => {
  it('writes dates as Japanese and English readers expect', () => {
    expect(formatNoticeDate('2020-09-01', 'ja')).toBe('2020年9月1日');
    expect(formatNoticeDate('2020-09-01', 'en')).toBe('1 September 2020');
    expect(formatNoticeDate('2021-12-31', 'ja')).toBe('2021年12月31日');
    expect(formatNoticeDate('2021-12-31', 'en')).toBe('31 December 2021');
  });
});

describe('formatNoticeDuration', () => {
  it.each([
    ['P3Y', '3 years', '3年'],
    ['P1Y', '1 year', '1年'],
    ['P6M', '6 months', '6か月'],
    ['P1Y6M', '1 year and 6 months', '1年6か月'],
    ['P90D', '90 days', '90日'],
    ['P2W', '2 weeks', '2週間'],
    ['PT12H', '12 hours', '12時間'],
    ['P1Y2M3D', '1 year, 2 months, and 3 days', '1年2か月3日'],
  ])('%s → %s / %s', (iso, en, ja) => {
    expect(formatNoticeDuration(d(iso), 'en')).toBe(en);
    expect(formatNoticeDuration(d(iso), 'ja')).toBe(ja);
  });
});
