import { describe, expect, it } from 'vitest';
import * as api from 'purpose-bound';
import {
  AuditWriteError,
  ConsentRequiredError,
  ExceptionNotPermittedError,
  FieldNotIssuedError,
  InvalidArgumentError,
  InvalidPersonalValueError,
  isPurposeBoundError,
  PolicyDefinitionError,
  PurposeBoundError,
  PurposeNotAllowedError,
  SubjectErasedError,
  SubjectNotFoundError,
  UnknownFieldError,
  UnknownPurposeError,
  UseSuspendedError,
} from 'purpose-bound';

const d = { field: 'email', purpose: 'billing', subject: 's1' };
const cases: [PurposeBoundError, string, string][] = [
  [new PolicyDefinitionError([{ path: 'fields.email', message: 'bad' }]), 'POLICY_INVALID', 'PolicyDefinitionError'],
  [new InvalidArgumentError('options.actor', 'must be a string'), 'INVALID_ARGUMENT', 'InvalidArgumentError'],
  [new UnknownFieldError('shoeSize', 'shop'), 'UNKNOWN_FIELD', 'UnknownFieldError'],
  [new UnknownPurposeError('marketting', 'shop'), 'UNKNOWN_PURPOSE', 'UnknownPurposeError'],
  [new InvalidPersonalValueError('email', [{ path: '', rule: 'invalid_format(email)' }]), 'INVALID_PERSONAL_VALUE', 'InvalidPersonalValueError'],
  [new PurposeNotAllowedError(d), 'PURPOSE_NOT_ALLOWED', 'PurposeNotAllowedError'],
  [new ConsentRequiredError(d), 'CONSENT_REQUIRED', 'ConsentRequiredError'],
  [new UseSuspendedError(d), 'USE_SUSPENDED', 'UseSuspendedError'],
  [new ExceptionNotPermittedError('public-health-children', 'shop'), 'EXCEPTION_NOT_PERMITTED', 'ExceptionNotPermittedError'],
  [new SubjectErasedError('s1', '2026-01-01T00:00:00.000Z'), 'SUBJECT_ERASED', 'SubjectErasedError'],
  [new SubjectNotFoundError('s1'), 'SUBJECT_NOT_FOUND', 'SubjectNotFoundError'],
  [new FieldNotIssuedError('email', 's1'), 'FIELD_NOT_ISSUED', 'FieldNotIssuedError'],
  [new AuditWriteError(), 'AUDIT_WRITE_FAILED', 'AuditWriteError'],
];

describe('errors', () => {
  it.each(cases)('%s: code, name from class, instanceof', (error, code, name) => {
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(PurposeBoundError);
    expect(error).toBeInstanceOf(Error);
    expect(error.stack?.split('\n')[0]).toContain(name);
    expect(isPurposeBoundError(error)).toBe(true);
    expect(isPurposeBoundError(error, code as never)).toBe(true);
    expect(isPurposeBoundError(error, 'STORAGE_CONFLICT')).toBe(false);
  });

  it('every exported error class extends PurposeBoundError and sets name from its class', () => {
    const classes = Object.entries(api).filter(([k, v]) => typeof v === 'function' && /^[A-Z]/.test(k) && k.endsWith('Error'));
    expect(classes.length).toBeGreaterThanOrEqual(cases.length);
    for (const [k, v] of classes)
      expect(v === PurposeBoundError || Object.prototype.isPrototypeOf.call(PurposeBoundError.prototype, (v as { prototype: object }).prototype), k).toBe(true);
  });

  it('subclass instanceof stays exact', () => {
    expect(new UseSuspendedError(d)).not.toBeInstanceOf(ConsentRequiredError);
    expect(new UnknownFieldError('x', 'p')).not.toBeInstanceOf(UnknownPurposeError);
  });

  it('instanceof PurposeBoundError works across a duplicate copy of the package (Symbol.for brand)', () => {
    // What a second copy of the package would create: a different class, same registered brand.
    class DuplicateCopyError extends Error {
      readonly code = 'USE_SUSPENDED';
      constructor() {
        super('from another copy');
        Object.defineProperty(this, Symbol.for('purpose-bound.error'), { value: true });
      }
    }
    const foreign = new DuplicateCopyError();
    expect(foreign instanceof PurposeBoundError).toBe(true);
    expect(isPurposeBoundError(foreign, 'USE_SUSPENDED')).toBe(true);
    expect(isPurposeBoundError(foreign, 'CONSENT_REQUIRED')).toBe(false);
    // Not branded, or branded with a wrong value: not ours.
    expect(new Error('x') instanceof PurposeBoundError).toBe(false);
    expect({ code: 'USE_SUSPENDED' } instanceof PurposeBoundError).toBe(false);
    expect(Object.assign(new Error('x'), { [Symbol.for('purpose-bound.error')]: 'yes' }) instanceof PurposeBoundError).toBe(false);
    expect(isPurposeBoundError(null)).toBe(false);
    expect(isPurposeBoundError('USE_SUSPENDED')).toBe(false);
  });

  it('the brand is not enumerable and not serialised', () => {
    const e = new UseSuspendedError(d);
    expect(Object.keys(e)).not.toContain(Symbol.for('purpose-bound.error'));
    expect(JSON.stringify(e)).toContain('"code":"USE_SUSPENDED"');
  });

  it('PolicyDefinitionError lists every issue in its message and keeps them frozen', () => {
    const e = new PolicyDefinitionError([
      { path: 'fields.a', message: 'one' },
      { path: '', message: 'two' },
    ]);
    expect(e.message).toBe('Invalid policy: 2 problem(s):\n  - fields.a: one\n  - (root): two');
    expect(Object.isFrozen(e.issues)).toBe(true);
  });

  it('ids that are not id-shaped are described, never repeated', () => {
    const e = new UnknownPurposeError('hana@example.jp\nFAKE LOG LINE', 'shop');
    expect(e.message).not.toContain('hana@example.jp');
    expect(e.message).toContain('<string of 29 characters>');
    expect(e.purpose).toBe('<string of 29 characters>');
    expect(new UnknownFieldError(undefined as never, 'shop').message).toContain('<undefined>');
    expect(new UnknownFieldError(Object.create(null) as never, 'shop').field).toBe('<object>');
    expect(new UnknownPurposeError('marketting', 'shop').message).toBe('Policy "shop" defines no purpose "marketting"');
  });

  it('cause is kept only when given', () => {
    const inner = new UseSuspendedError(d);
    expect(new AuditWriteError({ cause: inner }).cause).toBe(inner);
    expect('cause' in new AuditWriteError()).toBe(false);
  });
});
