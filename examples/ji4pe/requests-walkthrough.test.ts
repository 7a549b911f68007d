/**
 * `npm run demo:requests` shows every data-subject request kind end to end (issue 6): it must
 * succeed, show each kind's outcome, and print no personal value.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('npm run demo:requests (examples/ji4pe/requests-walkthrough.ts)', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/ji4pe/requests-walkthrough.ts'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const output = `${run.stdout}\n${run.stderr}`;

  it('exits 0', () => {
    expect(run.status, output).toBe(0);
  });

  it('answers every request kind', () => {
    for (const line of [
      /correction of the address: received → identity-verified → in-progress → completed/,
      /addition of a phone number: .*completed/,
      /deletion of that phone number: .*completed/,
      /→ rejected \(reason content-accurate\)/,
      /suspension for course materials: .*completed with alternative measures/,
      /use for 'contact' suspended: .* → USE_SUSPENDED/,
      /the suspension is lifted/,
      /disclosure of provision records: Event insurance underwriter \(consent, name\+dateOfBirth\); Printing and mailing contractor \(entrustment, name\+address\)/,
      /full disclosure: 5 values/,
      /1 ISO\/IEC TS 27560 record\(s\) \(applicationPrefill\) and 2 Kantara receipts \(English, Japanese\) covering 1 purpose\(s\)/,
      /1 request is overdue/,
      /Ken's erasure: .*completed/,
      /a second erasure request → ALREADY_ERASED/,
      /after 3 years: destroyed email/,
      /running it again destroys 0 more/,
      /purposes notification by post: fee ¥500 unpaid → REQUEST_STATE; paid → .*completed, \d+ purposes/,
      /before the power of attorney is checked → IDENTITY_NOT_VERIFIED; .*Art\. 33\(3\) notice/,
      /letter with reasons \(Art\. 36\): ご請求に応じない旨の通知及び理由の説明/,
      /letter with its content \(Art\. 34\(3\)\): 住所：訂正/,
      /stop-provision \(ground rights-harmed, Art\. 35\(5\)\): the event insurer → VENDOR_NOT_ALLOWED/,
      /extending by 4 months → INVALID_ARGUMENT; by 2 months → allowed/,
      /incident breach-\S+: 1 person\(s\) derived .*reportable \(wrongful-purpose\); final report due \d{4}-\d{2}-\d{2} \(60 days\)/,
      /preliminary report \(速報\): \d+ lines in Japanese; 1 notice\(s\) .*→ BREACH_INVALID; completed and reported \(確報\); overdue now: 0/,
      /audit log: \d+ entries, chain verifies/,
    ]) {
      expect(output).toMatch(line);
    }
  });

  it('prints no personal value', () => {
    for (const value of ['中村 美香', 'mika@example.jp', '1992-07-07', '京都府京都市', '075-111-2222', 'Ken Ito', 'ken@example.jp', 'weekend courses', '090-1234-5678']) {
      expect(output).not.toContain(value);
    }
  });
});
