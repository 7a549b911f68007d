/**
 * `vault.retention`: the primitive the retention sweep is built on. Metadata pages show no value
 * and unwrap no key; `destroy` destroys exactly what the caller judged at the version it judged
 * (a stale version is refused, nothing destroyed), honours holds written after the scan,
 * audits each destruction, records it in the value state (a destroyed value put back is
 * refused at read), and writes nothing half when a write fails. On memory, SQLite, PGlite and
 * PostgreSQL (fails, never skips, when the server is unreachable).
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { createVault, isPurposeBoundError, verifyAuditLog, type Keyring, type StorageAdapter, type StorageTransaction, type ValueRow } from 'purpose-bound';
import { memoryAdapter } from 'purpose-bound/adapters/memory';
import { freshSqlAdapters } from '../adapters/support/fresh-sql-adapters.js';
import { clinic, keyring } from './fixtures.js';

const sql = freshSqlAdapters('ret');
const adapters: readonly (readonly [string, () => Promise<StorageAdapter>])[] = [
  ['memory', async () => memoryAdapter()],
  ['sqlite', sql.sqlite],
  ['pglite', sql.pglite],
  ['postgres', sql.postgres],
];

/** A keyring that counts unwraps: no unwrap, no data key, nothing could be decrypted. */
function countingKeyring(inner: Keyring): { ring: Keyring; unwraps: () => number } {
  let unwraps = 0;
  const ring: Keyring = Object.assign(Object.create(Object.getPrototypeOf(inner) as object) as Keyring, inner, {
    unwrapKey: (...args: Parameters<Keyring['unwrapKey']>) => {
      unwraps++;
      return inner.unwrapKey(...args);
    },
  });
  return { ring, unwraps: () => unwraps };
}

/** Wraps an adapter so that one transaction method can be made to fail (a crashed write). */
function failable(inner: StorageAdapter): { adapter: StorageAdapter; failOn: (method: keyof StorageTransaction | undefined, afterCalls?: number) => void } {
  let failing: { method: keyof StorageTransaction; left: number } | undefined;
  const wrapTx = (tx: StorageTransaction): StorageTransaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (failing !== undefined && prop === failing.method && failing.left-- <= 0) throw new Error('disk full');
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  // A plain object over the (frozen) adapter; the one-statement fast paths run no caller code:
  // left out, so that every read and write goes through `transaction`.
  const adapter: StorageAdapter = {
    kind: inner.kind,
    location: inner.location,
    capabilities: inner.capabilities,
    open: () => inner.open(),
    close: () => inner.close(),
    schemaVersion: () => inner.schemaVersion(),
    transaction: (fn, options) => inner.transaction((tx) => fn(wrapTx(tx)), options),
  };
  return {
    adapter,
    failOn: (method, afterCalls = 0) => {
      failing = method === undefined ? undefined : { method, left: afterCalls };
    },
  };
}

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return isPurposeBoundError(e) ? e.code : `non-SDK error: ${String(e)}`;
  }
}

describe.each(adapters)('vault.retention on %s', (_name, make) => {
  async function world(options: { adapter?: StorageAdapter; ring?: Keyring } = {}) {
    let now = new Date('2026-01-10T09:00:00.000Z');
    const adapter = options.adapter ?? (await make());
    const vault = await createVault({ policy: clinic, adapter, keyring: options.ring ?? keyring(), clock: () => new Date(now) });
    const { subject } = await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '山田花子', email: 'hana@example.jp' } });
    now = new Date('2026-03-01T09:00:00.000Z');
    await vault.correct(subject, 'name', '山田はな', { actor: 'desk', reason: 'the person asked' });
    const setNow = (iso: string) => {
      now = new Date(iso);
    };
    return { vault, adapter, subject, setNow };
  }
  const actor = 'retention-job';
  const reference = 'retention:test';

  it('scans metadata page by page: provenance and history, no value, no ciphertext, no key unwrapped', async () => {
    const { ring, unwraps } = countingKeyring(keyring());
    const { vault, subject } = await world({ ring });
    const second = (await vault.collect({ collectionPoint: 'intake', actor: 'desk', values: { name: '佐藤', allergies: ['そば'] }, consent: {} })).subject;
    const gone = (await vault.collect({ collectionPoint: 'registration', actor: 'desk', values: { name: '鈴木' } })).subject;
    await vault.erase(gone, { actor: 'dpo', reference: 'req-1' });
    await vault.records.transaction(second, (tx) => tx.putRecord({ kind: 'legal-hold', id: 'h1', subjectId: second, createdAt: new Date().toISOString(), doc: '{}' }));
    const before = unwraps();

    const first = await vault.retention.scan({ limit: 2, recordKinds: ['legal-hold'] });
    const rest = first.next === undefined ? undefined : await vault.retention.scan({ after: first.next, limit: 2, recordKinds: ['legal-hold'] });
    const seen = [...first.subjects, ...(rest?.subjects ?? [])];
    expect(seen.map((s) => s.subject).sort()).toEqual([subject, second].sort()); // the erased subject is left out
    expect(rest?.next).toBeUndefined();
    expect(unwraps()).toBe(before);
    const text = JSON.stringify(seen);
    expect(text).not.toMatch(/山田|佐藤|hana@example|そば|ciphertext/);

    const one = seen.find((s) => s.subject === subject);
    expect(one?.values.map((v) => [v.field, v.provenance?.collectionPoint])).toEqual([
      ['email', 'registration'],
      ['name', 'registration'],
    ]);
    expect(one?.values.find((v) => v.field === 'name')?.provenance?.updatedAt).toBe('2026-03-01T09:00:00.000Z');
    expect(one?.history).toEqual([expect.objectContaining({ field: 'name', holdsValue: true, previous: expect.objectContaining({ collectedAt: '2026-01-10T09:00:00.000Z' }) })]);
    expect(one?.records).toEqual([]);
    expect(seen.find((s) => s.subject === second)?.records).toEqual(['legal-hold']);
    expect(await vault.retention.subject(gone)).toBeUndefined();
    expect(await vault.retention.subject('nobody')).toBeUndefined();
    expect(await vault.retention.subject(subject)).toEqual(one);
    await vault.close();
  });

  it('destroys values and earlier values at the version judged, audited, and records the destruction in the value state', async () => {
    const { vault, adapter, subject } = await world();
    const meta = await vault.retention.subject(subject);
    const [entry] = meta?.history ?? [];
    const [oldEmail] = await adapter.transaction((tx) => tx.getValues(subject, ['email']));

    const r = await vault.retention.destroy(subject, {
      expectedVersion: meta?.version as number,
      values: [{ field: 'email', until: '2027-01-10T09:00:00.000Z' }],
      history: [entry?.id as string],
      actor,
      reference,
      at: new Date('2031-01-11T00:00:00.000Z'),
    });
    expect(r).toEqual({ status: 'destroyed', version: (meta?.version as number) + 1, values: 1, history: 1 });
    expect(await code(vault.read(subject, 'email', { purpose: 'care', actor: 't' }))).toBe('VALUE_NOT_FOUND');
    expect(await vault.read(subject, 'name', { purpose: 'care', actor: 't' })).toBe('山田はな');
    // The history entry stays (who changed what, when), without its value.
    const after = await vault.retention.subject(subject);
    expect(after?.history.map((h) => [h.id, h.holdsValue])).toEqual([[entry?.id, false]]);
    expect((await vault.history(subject)).map((h) => h.id)).toEqual([entry?.id]);
    expect(await code(vault.historyValue(subject, entry?.id as string, { purpose: 'care', actor: 't' }))).not.toBeUndefined();

    const audit = await vault.audit.entries({ subject });
    expect(audit.filter((e) => e.action.startsWith('retention.')).map((e) => [e.action, e.field, e.reference, e.details, e.at])).toEqual([
      ['retention.destroy', 'email', reference, { until: '2027-01-10T09:00:00.000Z' }, '2031-01-11T00:00:00.000Z'],
      ['retention.destroy-history', 'name', reference, { entries: 1 }, '2031-01-11T00:00:00.000Z'],
    ]);
    expect(await verifyAuditLog(vault.audit)).toMatchObject({ valid: true });

    // The destroyed value put back (a partial restore of a backup) is refused, like a deleted one.
    await adapter.transaction((tx) => tx.putValue(oldEmail as ValueRow));
    expect(await code(vault.read(subject, 'email', { purpose: 'care', actor: 't' }))).toBe('INTEGRITY_ERROR');
    await vault.close();
  });

  it('refuses a stale version: a correction between scan and destroy is neither lost nor destroyed', async () => {
    const { vault, subject, setNow } = await world();
    const meta = await vault.retention.subject(subject);
    setNow('2026-06-01T00:00:00.000Z');
    await vault.correct(subject, 'email', 'new@example.jp', { actor: 'desk', reason: 'the person asked' });
    const auditBefore = (await vault.audit.entries({ subject })).length;

    const stale = vault.retention.destroy(subject, { expectedVersion: meta?.version as number, values: [{ field: 'email', until: '2027-01-10T09:00:00.000Z' }], actor, reference });
    await expect(stale).rejects.toMatchObject({ code: 'STORAGE_CONFLICT', name: 'SubjectChangedError', subject });
    expect(await vault.read(subject, 'email', { purpose: 'care', actor: 't' })).toBe('new@example.jp');
    expect((await vault.history(subject)).length).toBe(2);
    expect((await vault.audit.entries({ subject })).slice(auditBefore).filter((e) => e.action.startsWith('retention.'))).toEqual([]);
    // Judged again on what is stored now, it goes through.
    const fresh = await vault.retention.subject(subject);
    expect(fresh?.version).toBeGreaterThan(meta?.version as number);
    expect(
      await vault.retention.destroy(subject, { expectedVersion: fresh?.version as number, values: [{ field: 'email', until: '2027-06-01T00:00:00.000Z' }], actor, reference }),
    ).toMatchObject({
      status: 'destroyed',
      values: 1,
    });
    await vault.close();
  });

  it('honours holds, also one written after the scan (which does not move the version)', async () => {
    const { vault, subject } = await world();
    const meta = await vault.retention.subject(subject);
    await vault.records.transaction(subject, (tx) => tx.putRecord({ kind: 'legal-hold', id: 'case-9', subjectId: subject, createdAt: new Date().toISOString(), doc: '{}' }));
    const input = {
      expectedVersion: meta?.version as number,
      values: [{ field: 'email', until: '2027-01-10T09:00:00.000Z' }],
      unlessHeldBy: ['request-open', 'legal-hold'],
      actor,
      reference,
    };
    expect(await vault.retention.destroy(subject, input)).toEqual({ status: 'held', heldBy: ['legal-hold'] });
    expect(await vault.read(subject, 'email', { purpose: 'care', actor: 't' })).toBe('hana@example.jp');
    expect((await vault.audit.entries({ subject })).filter((e) => e.action.startsWith('retention.'))).toEqual([]);
    expect((await vault.retention.subject(subject))?.version).toBe(meta?.version);
    await vault.records.transaction(subject, (tx) => tx.deleteRecord('legal-hold', 'case-9'));
    expect(await vault.retention.destroy(subject, input)).toMatchObject({ status: 'destroyed', values: 1 });
    await vault.close();
  });

  it('writes nothing half: a failing write rolls back the values, the history, the version, the marker and the audit entries', async () => {
    const { adapter, failOn } = failable(await make());
    const { vault, subject } = await world({ adapter });
    const meta = await vault.retention.subject(subject);
    const input = {
      expectedVersion: meta?.version as number,
      values: [{ field: 'email', until: '2027-01-10T09:00:00.000Z' }],
      history: [meta?.history[0]?.id as string],
      record: { kind: 'retention-erasure', doc: '{}' },
      actor,
      reference,
    };
    const auditBefore = await vault.audit.entries({ subject });
    for (const [method, after] of [
      ['appendAudit', 1],
      ['appendHistory', 0],
      ['deleteValues', 0],
    ] as const) {
      failOn(method, after);
      await expect(vault.retention.destroy(subject, input)).rejects.toThrow('disk full');
      failOn(undefined);
      const now = await vault.retention.subject(subject, { recordKinds: ['retention-erasure'] });
      expect(now).toEqual({ ...meta, records: [] });
      expect(await vault.read(subject, 'email', { purpose: 'care', actor: 't' })).toBe('hana@example.jp');
      expect(await vault.historyValue(subject, meta?.history[0]?.id as string, { purpose: 'care', actor: 't' })).toBe('山田花子');
      expect((await vault.audit.entries({ subject })).filter((e) => e.action.startsWith('retention.'))).toEqual([]);
    }
    expect((await vault.audit.entries({ subject })).length).toBeGreaterThan(auditBefore.length); // the reads above, nothing else
    expect(await vault.retention.destroy(subject, input)).toMatchObject({ status: 'destroyed', values: 1, history: 1 });
    expect(await vault.retention.subject(subject, { recordKinds: ['retention-erasure'] })).toMatchObject({ records: ['retention-erasure'] });
    await vault.close();
  });

  it('refuses bad input with named errors and destroys nothing', async () => {
    const { vault, subject } = await world();
    const meta = await vault.retention.subject(subject);
    const v = meta?.version as number;
    const base = { expectedVersion: v, actor, reference };
    const cases: [unknown, string][] = [
      [{ ...base, values: [{ field: 'allergies', until: '2027-01-01T00:00:00.000Z' }] }, 'input.values[0].field'],
      [{ ...base, values: [{ field: 'email', until: 'soon' }] }, 'input.values[0].until'],
      [
        {
          ...base,
          values: [
            { field: 'email', until: '2027-01-01T00:00:00.000Z' },
            { field: 'email', until: '2027-01-01T00:00:00.000Z' },
          ],
        },
        'input.values[1].field',
      ],
      [{ ...base, history: ['no-such-entry'] }, 'input.history[0]'],
      [{ ...base, record: { kind: 'erasure', doc: '{}' } }, 'input.record.kind'],
      [{ ...base, expectedVersion: 'seven' }, 'input.expectedVersion'],
      [{ ...base, actor: '' }, 'input.actor'],
      [{ ...base, unlessHeldBy: [''] }, 'input.unlessHeldBy[0]'],
    ];
    for (const [input, argument] of cases) {
      await expect(vault.retention.destroy(subject, input as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument });
    }
    await expect(vault.retention.scan({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.limit' });
    await expect(vault.retention.destroy('nobody', base)).rejects.toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
    expect(await vault.retention.subject(subject)).toEqual(meta);
    expect(await vault.read(subject, 'email', { purpose: 'care', actor: 't' })).toBe('hana@example.jp');
    await vault.erase(subject, { actor: 'dpo', reference: 'req-2' });
    await expect(vault.retention.destroy(subject, { ...base, expectedVersion: v + 1 })).rejects.toMatchObject({ code: 'SUBJECT_ERASED' });
    await vault.close();
  });
});
