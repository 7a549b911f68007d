/**
 * The error classes live in one folder, `src/errors/`, one class per file and one class per
 * code: every code of `PurposeBoundErrorCode` is given to `super()` by exactly one class
 * (a refinement such as `SubjectChangedError` extends the class of its code), every class is
 * thrown somewhere in the package, and the three read denials share `AccessDeniedError`.
 * Every error name stays importable from the package root.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from 'purpose-bound';
import { AccessDeniedError, ConsentRequiredError, PurposeNotAllowedError, StorageConflictError, SubjectChangedError, UseSuspendedError } from 'purpose-bound';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const ERRORS = join(SRC, 'errors');

async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await tsFiles(p)));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Names exported from the root before the errors were gathered: they must all still be. */
const ROOT_ERRORS = [
  'PurposeBoundError',
  'PolicyDefinitionError',
  'InvalidArgumentError',
  'UnknownFieldError',
  'UnknownPurposeError',
  'InvalidPersonalValueError',
  'PurposeNotAllowedError',
  'ConsentRequiredError',
  'UseSuspendedError',
  'ExceptionNotPermittedError',
  'SubjectErasedError',
  'SubjectNotFoundError',
  'AuditWriteError',
  'StorageUnavailableError',
  'StorageConflictError',
  'StorageError',
  'KeyUnavailableError',
  'IntegrityError',
  'ValueNotFoundError',
  'SubjectAlreadyErasedError',
  'SubjectChangedError',
  'RequestStateError',
  'RequestNotFoundError',
  'IdentityNotVerifiedError',
  'RequestKindError',
  'TranslationMissingError',
  'ProseMissingError',
  'PolicyMismatchError',
  'VendorNotAllowedError',
  'isPurposeBoundError',
];

describe('error classes', () => {
  it('are all in src/errors/, one exported class per file', async () => {
    const outside: string[] = [];
    for (const file of await tsFiles(SRC)) {
      if (file.startsWith(ERRORS) || file.includes(`${join('src', 'cli')}`)) continue;
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/class (\w+Error) extends (\w+Error)\b/g)) outside.push(`${relative(SRC, file)}: ${m[1]}`);
    }
    expect(outside).toEqual([]);
    for (const file of await tsFiles(ERRORS)) {
      const name = relative(ERRORS, file);
      if (['index.ts', 'base.ts'].includes(name)) continue;
      const classes = [...(await readFile(file, 'utf8')).matchAll(/^export (?:abstract )?class (\w+)/gm)].map((m) => m[1]);
      expect(classes, name).toHaveLength(1);
    }
  });

  it('one class per code, every code thrown, every class used', async () => {
    const base = await readFile(join(ERRORS, 'base.ts'), 'utf8');
    const union = /export type PurposeBoundErrorCode =([^;]+);/.exec(base)?.[1] ?? '';
    const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] as string);
    expect(codes.length).toBeGreaterThan(20);
    const owners = new Map<string, string[]>();
    const classes: string[] = [];
    for (const file of await tsFiles(ERRORS)) {
      const text = await readFile(file, 'utf8');
      const cls = /^export (?:abstract )?class (\w+)/m.exec(text)?.[1];
      if (!cls) continue;
      classes.push(cls);
      for (const m of text.matchAll(/super\(\s*'([A-Z_]+)'/g)) owners.set(m[1] as string, [...(owners.get(m[1] as string) ?? []), cls]);
    }
    for (const code of codes) expect(owners.get(code), code).toHaveLength(1);
    expect([...owners.keys()].filter((c) => !codes.includes(c))).toEqual([]);
    const sources = (await Promise.all((await tsFiles(SRC)).filter((f) => !f.startsWith(ERRORS)).map((f) => readFile(f, 'utf8')))).join('\n');
    const unused = classes.filter((c) => !['PurposeBoundError', 'AccessDeniedError'].includes(c) && !new RegExp(`new ${c}\\(`).test(sources));
    expect(unused).toEqual([]);
  });

  it('the three read denials share AccessDeniedError; a refinement keeps its code', () => {
    const d = { field: 'email', purpose: 'contact', subject: 's1' };
    for (const e of [new PurposeNotAllowedError(d), new ConsentRequiredError(d), new UseSuspendedError(d)]) {
      expect(e).toBeInstanceOf(AccessDeniedError);
      expect({ field: e.field, purpose: e.purpose, subject: e.subject }).toEqual(d);
    }
    expect(new SubjectChangedError('s1')).toBeInstanceOf(StorageConflictError);
    expect(new SubjectChangedError('s1').code).toBe('STORAGE_CONFLICT');
    expect(new StorageConflictError('x')).not.toBeInstanceOf(AccessDeniedError);
  });

  it('keeps every error importable from the package root', () => {
    const exported = new Set(Object.keys(api));
    expect(ROOT_ERRORS.filter((n) => !exported.has(n))).toEqual([]);
    expect(exported.has('AccessDeniedError')).toBe(true);
  });
});
