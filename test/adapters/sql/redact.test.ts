/** Connection details never show a password: `redactConnectionString` and `redactSecrets`. */
import { describe, expect, it } from 'vitest';
import { redactConnectionString, redactSecrets } from '../../../src/adapters/sql/redact.js';

describe('redactConnectionString', () => {
  it.each([
    ['postgres://app:secret@db:5432/pb?sslmode=require&password=secret', 'postgres://app@db:5432/pb'],
    ['postgresql://app:secret@db/pb', 'postgresql://app@db/pb'],
    ['postgres://db.internal:6543/', 'postgres://db.internal:6543'],
    ['postgres://db', 'postgres://db'],
    ['postgres://ap%40p:s%3Acret@db/x', 'postgres://ap@p@db/x'],
    ['postgres://:secret@db/x', 'postgres://db/x'],
    ['mysql://root:secret@h:3306/d', 'mysql://root@h:3306/d'],
    ['socket:/var/run/postgresql?db=x&password=secret', 'socket:///var/run/postgresql'],
  ])('%s → %s', (input, expected) => {
    expect(redactConnectionString(input)).toBe(expected);
  });

  it('a key/value string loses its password pair, whatever the quoting', () => {
    expect(redactConnectionString("host=db user=app password='se cret' dbname=pb")).toBe('host=db user=app password=[redacted] dbname=pb');
    expect(redactConnectionString('host=db PASSWORD = "x y"')).toBe('host=db PASSWORD=[redacted]');
    expect(redactConnectionString('host=db pwd=abc passwd=def')).toBe('host=db pwd=[redacted] passwd=[redacted]');
    expect(redactConnectionString('just text')).toBe('just text');
  });
});

describe('redactSecrets', () => {
  it('removes credentials of any URL inside free text, keeping the rest', () => {
    expect(redactSecrets('could not reach postgres://app:S3cret@db:5432/pb (timeout)')).toBe('could not reach postgres://app@db:5432/pb (timeout)');
    expect(redactSecrets('A https://u:p@h and B redis://:pw@r:6379')).toBe('A https://u@h and B redis://@r:6379');
    expect(redactSecrets('no secret at postgres://db:5432/x')).toBe('no secret at postgres://db:5432/x');
  });
});
