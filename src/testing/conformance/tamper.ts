/**
 * Conformance part `tamper`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { encryptValueFormat1, importDataKey } from '../../crypto/value-cipher.js';
import { verifyValueVersions } from '../../storage/verify-value-versions.js';
import type { SubjectRow, ValueRow } from '../../storage/adapter.js';
import { expectCode, kekOnlyKeyring, uid, type SuiteContext } from './support.js';

/** Registers the tests of the `tamper` part (called inside its `describe` block). */
export function tamperPart(ctx: SuiteContext): void {
  const { withAdapter, vaultOn } = ctx;
  it('one flipped byte in a stored ciphertext → IntegrityError, no value', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'untouched', count: 42 } });
      const [row] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
      const flipped = new Uint8Array(row?.ciphertext ?? []);
      const i = flipped.length - 1;
      flipped[i] = (flipped[i] as number) ^ 0x01;
      await adapter.transaction((tx) => tx.putValue({ ...(row as ValueRow), ciphertext: flipped }));
      await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      await expectCode(vault.readAll(subject, { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      // The untouched field still reads.
      expect(await vault.read(subject, 'count', { purpose: 'service', actor: 'c' })).toBe(42);
      // Erasure needs no key: it also clears the damage for later parts on a shared database.
      await vault.erase(subject, { actor: 'conformance', reference: 'tamper-cleanup' });
    });
  });

  it('a ciphertext swapped between subjects or between fields → IntegrityError', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject: a } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Alice', email: 'alice@example.jp' } });
      const { subject: b } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'Bob', email: 'bob@example.jp' } });
      const [aText] = await adapter.transaction((tx) => tx.getValues(a, ['text']));
      const [aEmail] = await adapter.transaction((tx) => tx.getValues(a, ['email']));
      // a's text ciphertext under b's text.
      await adapter.transaction((tx) => tx.putValue({ ...(aText as ValueRow), subjectId: b }));
      await expectCode(vault.read(b, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      // a's e-mail ciphertext under a's text (same subject, same key, other field).
      await adapter.transaction((tx) => tx.putValue({ ...(aEmail as ValueRow), field: 'text' }));
      await expectCode(vault.read(a, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      // a wrapped data key moved to another subject does not unwrap either.
      const rowA = await adapter.transaction((tx) => tx.getSubject(a));
      const rowB = await adapter.transaction((tx) => tx.getSubject(b));
      await adapter.transaction((tx) => tx.updateSubject({ ...(rowB as SubjectRow), wrappedKey: rowA?.wrappedKey ?? null, version: (rowB?.version ?? 0) + 1 }, rowB?.version ?? 0));
      await expectCode(vault.read(b, 'email', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      for (const s of [a, b]) await vault.erase(s, { actor: 'conformance', reference: 'tamper-cleanup' });
    });
  });

  it('a tampered wrapped data key → IntegrityError; an unknown KEK id → KeyUnavailableError', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'k' } });
      const row = (await adapter.transaction((tx) => tx.getSubject(subject))) as SubjectRow;
      const wrapped = new Uint8Array(row.wrappedKey ?? []);
      wrapped[wrapped.length - 1] = (wrapped[wrapped.length - 1] as number) ^ 0x80;
      await adapter.transaction((tx) => tx.updateSubject({ ...row, wrappedKey: wrapped, version: row.version + 1 }, row.version));
      await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      await adapter.transaction((tx) => tx.updateSubject({ ...row, keyId: 'kek-9', version: row.version + 2 }, row.version + 1));
      await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'KEY_UNAVAILABLE');
      await vault.erase(subject, { actor: 'conformance', reference: 'tamper-cleanup' });
    });
  });

  it('a value put back from the history (an undone correction) → IntegrityError, with or without its version column edited', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'before correction', count: 1 } });
      await vault.correct(subject, 'text', 'after correction', { actor: 'dpo', reason: 'request' });
      const [older] = await adapter.transaction((tx) => tx.listHistory(subject));
      const [current] = await adapter.transaction((tx) => tx.getValues(subject, ['text']));
      expect(older?.ciphertext).toBeInstanceOf(Uint8Array);
      for (const version of [current?.version ?? 2, (current?.version ?? 2) - 1]) {
        await adapter.transaction((tx) => tx.putValue({ ...(current as ValueRow), ciphertext: older?.ciphertext as Uint8Array, version }));
        await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
        await expectCode(vault.readAll(subject, { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      }
      // The current row put back reads again: the check is of the value, not a sticky flag.
      await adapter.transaction((tx) => tx.putValue(current as ValueRow));
      expect(await vault.read(subject, 'text', { purpose: 'service', actor: 'c' })).toBe('after correction');
      await vault.erase(subject, { actor: 'conformance', reference: 'tamper-cleanup' });
    });
  });

  it('a value row from a backup, a deleted value put back, an edited or removed value state → IntegrityError', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'v1', email: 'v1@example.jp', tags: ['a'] } });
      const [backup] = await adapter.transaction((tx) => tx.getValues(subject, ['email']));
      const [tags] = await adapter.transaction((tx) => tx.getValues(subject, ['tags']));
      await vault.correct(subject, 'email', 'v2@example.jp', { actor: 'dpo', reason: 'r' });
      await vault.deleteValue(subject, 'tags', { actor: 'dpo', reason: 'r' });
      const [current] = await adapter.transaction((tx) => tx.getValues(subject, ['email']));
      // The backup's row, as it was (version 1, its own ciphertext).
      await adapter.transaction((tx) => tx.putValue(backup as ValueRow));
      await expectCode(vault.read(subject, 'email', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      await adapter.transaction((tx) => tx.putValue(current as ValueRow));
      // A deleted value put back.
      await adapter.transaction((tx) => tx.putValue(tags as ValueRow));
      await expectCode(vault.read(subject, 'tags', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      await adapter.transaction((tx) => tx.deleteValues(subject, ['tags']));
      expect(await vault.read(subject, 'email', { purpose: 'service', actor: 'c' })).toBe('v2@example.jp');
      // The value state edited to name the older version, removed, or taken from another subject.
      const row = (await adapter.transaction((tx) => tx.getSubject(subject))) as SubjectRow;
      expect(typeof row.valueState).toBe('string');
      const { subject: other } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'other', email: 'o@example.jp' } });
      const otherState = (await adapter.transaction((tx) => tx.getSubject(other)))?.valueState ?? null;
      const edited = (row.valueState as string).replace(/"email":\d+/, '"email":1');
      let version = row.version;
      for (const valueState of [edited, null, otherState]) {
        await adapter.transaction((tx) => tx.updateSubject({ ...row, valueState, version: version + 1 }, version));
        version++;
        if (valueState === edited) await adapter.transaction((tx) => tx.putValue(backup as ValueRow));
        await expectCode(vault.read(subject, 'email', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
        await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      }
      for (const s of [subject, other]) await vault.erase(s, { actor: 'conformance', reference: 'tamper-cleanup' });
    });
  });

  it('a whole subject restored from an older backup reads back, and verifyValueVersions finds it against the audit log', async () => {
    await withAdapter(async (adapter) => {
      const vault = await vaultOn(adapter);
      const { subject } = await vault.collect({ collectionPoint: 'form', actor: 'conformance', values: { text: 'original', email: 'orig@example.jp' } });
      const snapshot = await adapter.transaction(async (tx) => ({ row: (await tx.getSubject(subject)) as SubjectRow, values: await tx.getValues(subject) }));
      await vault.correct(subject, 'text', 'corrected', { actor: 'dpo', reason: 'request' });
      expect((await verifyValueVersions(adapter, { subjects: [subject] })).findings).toEqual([]);
      // Restore subject row (with its value state) and values from the snapshot: consistent in itself.
      await adapter.transaction(async (tx) => {
        const now = (await tx.getSubject(subject, { forUpdate: true })) as SubjectRow;
        await tx.updateSubject({ ...snapshot.row, version: now.version + 1 }, now.version);
        for (const v of snapshot.values) await tx.putValue(v);
      });
      // The documented limit: the read-time check cannot see it ...
      expect(await vault.read(subject, 'text', { purpose: 'service', actor: 'c' })).toBe('original');
      // ... the audit log can.
      const report = await verifyValueVersions(adapter, { subjects: [subject] });
      expect(report).toMatchObject({ subjects: 1, values: 2 });
      expect(report.findings).toEqual([{ subject, field: 'text', problem: 'older-than-audit', stored: 1, expected: 2 }]);
      await vault.erase(subject, { actor: 'conformance', reference: 'tamper-cleanup' });
      expect((await verifyValueVersions(adapter, { subjects: [subject] })).subjects).toBe(0);
    });
  });

  it('values written by an older release (no version bound in) stay readable; rotateKeys upgrades them, after which their old copies are refused', async () => {
    await withAdapter(async (adapter) => {
      const subject = uid('legacy');
      const bytes = new Uint8Array(randomBytes(32));
      const wrappedKey = kekOnlyKeyring().wrapKey('kek-1', new Uint8Array(bytes), subject) as Uint8Array;
      const dk = importDataKey(new Uint8Array(bytes));
      const at = new Date().toISOString();
      const meta = JSON.stringify({ provenance: { collectionPoint: 'form', collectedAt: at, noticeVersion: '1', source: 'subject', verifiedAt: at } });
      const legacy = (field: string, value: unknown, version: number): ValueRow => ({
        subjectId: subject,
        field,
        ciphertext: encryptValueFormat1(dk, subject, field, value),
        lookup: null,
        meta,
        updatedAt: at,
        version,
      });
      // A subject as an older release stored it: no value state, format-1 values, version 2 after one correction.
      const oldText = legacy('text', 'old text', 1);
      await adapter.transaction(async (tx) => {
        await tx.insertSubject({ id: subject, keyId: 'kek-1', wrappedKey, createdAt: at, erasedAt: null, erasureRef: null, version: 2 });
        await tx.putValue(legacy('text', 'current text', 2));
        await tx.putValue(legacy('count', 7, 1));
      });
      const vault = await vaultOn(adapter);
      const read = async (field: 'text' | 'count') => vault.read(subject, field, { purpose: 'service', actor: 'c' });
      expect(await read('text')).toBe('current text');
      expect(await read('count')).toBe(7);
      // The KEK-only key is re-wrapped (backup-proof keyring) and the values re-encrypted with their versions.
      const rotation = await vault.rotateKeys({ actor: 'ops' });
      expect(rotation.failed.map((f) => f.subject)).not.toContain(subject);
      const after = await adapter.transaction(async (tx) => ({ row: (await tx.getSubject(subject)) as SubjectRow, values: await tx.getValues(subject) }));
      expect(Buffer.from(after.row.wrappedKey ?? []).equals(Buffer.from(wrappedKey))).toBe(false);
      expect(after.row.valueState).toEqual(expect.any(String));
      expect(after.values.map((v) => v.ciphertext[0])).toEqual([2, 2]);
      expect(await read('text')).toBe('current text');
      expect(await read('count')).toBe(7);
      // The old format-1 copy of the field, put back, is now refused.
      await adapter.transaction((tx) => tx.putValue(oldText));
      await expectCode(vault.read(subject, 'text', { purpose: 'service', actor: 'c' }), 'INTEGRITY_ERROR');
      await vault.erase(subject, { actor: 'conformance', reference: 'tamper-cleanup' });
    });
  });
}
