/**
 * The README's first command runs this demo: it must succeed, show each promise of the story,
 * and never print a personal value.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('npm run demo (examples/ji4pe/demo.ts)', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/ji4pe/demo.ts'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const output = `${run.stdout}\n${run.stderr}`;

  it('exits 0', () => {
    expect(run.status, output).toBe(0);
  });

  it('tells the story: allowed reads, refusals with codes, provision, suspension, disclosure, erasure, audit', () => {
    for (const line of [
      /✓ staff:tanaka reads Hana's e-mail to contact her/,
      /✗ staff:tanaka reads Taro's date of birth for 'contact' → PURPOSE_NOT_ALLOWED/,
      /✗ .*insurer without consent → CONSENT_REQUIRED/,
      /✓ provided name and dateOfBirth to .* provision record .*basis consent/,
      /✗ staff:tanaka reads Yuki's e-mail to contact her → USE_SUSPENDED/,
      /✗ disclosing before his identity is verified → IDENTITY_NOT_VERIFIED/,
      /✓ disclosed 5 values/,
      /✗ reading Hana's e-mail afterwards → SUBJECT_ERASED/,
      /✓ \d+ entries; the hash chain verifies/,
      /searched the whole log for every personal value of the three people: none found/,
      /✓ wrote \d+ notices in Japanese and English/,
    ]) {
      expect(output).toMatch(line);
    }
  });

  it('prints no personal value of the three people, anywhere', () => {
    const source = readFileSync(join(root, 'examples/ji4pe/demo.ts'), 'utf8');
    const block = source.slice(source.indexOf('const people = {'), source.indexOf('} as const;'));
    const values = [...block.matchAll(/: '([^']+)'/g)].map((m) => m[1] as string);
    expect(values.length).toBe(15);
    for (const value of values) expect(output).not.toContain(value);
  });
});
