/**
 * Core benchmark: guard decisions per second for an allowed read, without audit (a no-op
 * audit log) and with the hash-chained in-memory audit log, against a plain property read and
 * node-casbin on an equivalent policy (field/purpose grants, child purposes inheriting from
 * their parents as casbin roles), all in the same run on the ji4pe policy.
 *
 * Every task performs a batch of operations per call so that the harness's own per-call
 * overhead does not dominate sub-microsecond operations; the batch size is the same for the
 * guard and for the plain read.
 *
 * @module
 */
import { newEnforcer, newModelFromString } from 'casbin';
import { createGuard, createMemoryAuditLog, type AuditEntry, type AuditLog } from 'purpose-bound';
import { ji4pePolicy } from '../../examples/ji4pe/policy.js';
import type { BenchCase, BenchContext } from '../run.js';

const BATCH = 1000;
const actor = 'staff:7';

/** Keeps results alive so the JIT cannot drop the work. */
let sink = 0;

/** An audit log that records nothing: the "without audit" figure (never use it in production). */
function noopAuditLog(): AuditLog {
  const entry = Object.freeze({ seq: 0, prevHash: '', hash: '', at: '', action: 'read', actor, decision: 'allow' }) as AuditEntry;
  return { append: () => entry, entries: () => [] };
}

async function casbinEnforcer() {
  const model = newModelFromString(`
[request_definition]
r = sub, obj, act

[policy_definition]
p = obj, act

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.obj == p.obj && g(r.act, p.act)
`);
  const e = await newEnforcer(model);
  e.enableLog(false);
  for (const field of ji4pePolicy.fieldIds) for (const purpose of ji4pePolicy.field(field).purposes) await e.addPolicy(field, purpose);
  for (const purpose of ji4pePolicy.purposeIds) {
    const parent = ji4pePolicy.purpose(purpose).parent;
    if (parent !== undefined) await e.addGroupingPolicy(purpose, parent);
  }
  return e;
}

export async function run(ctx: BenchContext): Promise<BenchCase[]> {
  const email = ji4pePolicy.wrap('email', 'hana@example.jp', { subject: 'subject-1' });
  const name = ji4pePolicy.wrap('name', 'Hanako Tanaka', { subject: 'subject-1' });
  const plain: Record<string, string> = { email: 'hana@example.jp', name: 'Hanako Tanaka' };
  const fastGuard = createGuard({ policy: ji4pePolicy, audit: noopAuditLog() });
  const enforcer = await casbinEnforcer();

  // Sanity: the equivalent policies agree before anything is timed.
  for (const [field, purpose, expected] of [
    ['email', 'contact', true],
    ['name', 'receipts', true],
    ['email', 'identification', false],
    ['dateOfBirth', 'courseMaterials', false],
  ] as const) {
    if (
      ji4pePolicy.isAllowed(field, purpose) !== expected ||
      enforcer.enforceSync(actor, field, purpose) !== expected ||
      (await enforcer.enforce(actor, field, purpose)) !== expected
    ) {
      throw new Error(`guard and casbin disagree on ${field}/${purpose}`);
    }
  }
  const readOptions = { purpose: 'contact', actor } as const;
  const childOptions = { purpose: 'receipts', actor } as const;

  const r = await ctx.measure({
    'guard.read (no audit)': {
      opsPerCall: BATCH,
      fn: async () => {
        for (let i = 0; i < BATCH; i++) sink += (await fastGuard.read(email, readOptions)).length;
      },
    },
    'guard.read child purpose (no audit)': {
      opsPerCall: BATCH,
      fn: async () => {
        for (let i = 0; i < BATCH; i++) sink += (await fastGuard.read(name, childOptions)).length;
      },
    },
    'guard.read (hash-chained audit)': {
      opsPerCall: BATCH,
      fn: async () => {
        // A fresh log per batch keeps memory flat; each read still hashes and chains an entry.
        const guard = createGuard({ policy: ji4pePolicy, audit: createMemoryAuditLog() });
        for (let i = 0; i < BATCH; i++) sink += (await guard.read(email, readOptions)).length;
      },
    },
    'plain property read': {
      opsPerCall: BATCH,
      fn: () => {
        for (let i = 0; i < BATCH; i++) sink += (plain[i & 1 ? 'email' : 'name'] as string).length;
      },
    },
    'casbin enforceSync': {
      opsPerCall: BATCH,
      fn: () => {
        for (let i = 0; i < BATCH; i++) sink += enforcer.enforceSync(actor, 'email', 'contact') ? 1 : 0;
      },
    },
    'casbin enforce': {
      opsPerCall: BATCH,
      fn: async () => {
        for (let i = 0; i < BATCH; i++) sink += (await enforcer.enforce(actor, 'email', 'contact')) ? 1 : 0;
      },
    },
  });
  if (sink === -1) process.stdout.write('');

  const noAudit = r['guard.read (no audit)'] ?? 0;
  const child = r['guard.read child purpose (no audit)'] ?? 0;
  const audited = r['guard.read (hash-chained audit)'] ?? 0;
  const plainRead = r['plain property read'] ?? 0;
  const casbinSync = r['casbin enforceSync'] ?? 0;
  const casbinAsync = r['casbin enforce'] ?? 0;
  const { compare } = ctx;
  const peers = (v: number) => [compare(v, 'plain property read', plainRead), compare(v, 'casbin enforce', casbinAsync), compare(v, 'casbin enforceSync', casbinSync)];
  return [
    { name: 'guard.read allowed, no audit', unit: 'decisions/s', value: noAudit, target: '>= 1,000,000/s, >= 10x casbin', comparisons: peers(noAudit) },
    { name: 'guard.read allowed via parent purpose, no audit', unit: 'decisions/s', value: child, comparisons: peers(child) },
    { name: 'guard.read allowed, hash-chained memory audit', unit: 'decisions/s', value: audited, target: '>= 300,000/s', comparisons: peers(audited) },
    { name: 'casbin enforce (same policy)', unit: 'decisions/s', value: casbinAsync, comparisons: [compare(casbinAsync, 'casbin enforceSync', casbinSync)] },
  ];
}
