/**
 * One application server of the audit load bench (`bench/cases/audit.ts`): its own pg pool and
 * group-commit audit log on the shared PostgreSQL schema, a checkpointer writing to its own
 * file, and 32 concurrent callers appending until `PB_AUDIT_LOAD_N` entries are in. Waits for
 * `go` on stdin, prints one JSON line: `{ appended, ms, batches }`.
 *
 * @module
 */
import { createCheckpointer, createGroupCommitAuditLog, fileCheckpointSink } from 'purpose-bound';
import { postgresAdapter } from 'purpose-bound/adapters/postgres';

const url = process.env['DATABASE_URL'] as string;
const schema = process.env['PB_AUDIT_LOAD_SCHEMA'] as string;
const total = Number(process.env['PB_AUDIT_LOAD_N'] ?? 20_000);
const callers = Number(process.env['PB_AUDIT_LOAD_CALLERS'] ?? 32);
const worker = process.env['PB_AUDIT_LOAD_WORKER'] ?? '0';
const checkpointFile = process.env['PB_AUDIT_LOAD_CHECKPOINT'] as string;
const signerKey = process.env['PB_AUDIT_LOAD_SIGNER'] as string;
const origin = process.env['PB_AUDIT_LOAD_ORIGIN'] as string;

const adapter = postgresAdapter({ connectionString: url, schema, max: 4 });
await adapter.open();
const checkpoints = createCheckpointer({ adapter, origin, signer: signerKey, everyEntries: 5000, everyMs: 0, sinks: [fileCheckpointSink({ path: checkpointFile })] });
const log = createGroupCommitAuditLog({ adapter, checkpoints, maxBatch: Number(process.env['PB_AUDIT_LOAD_MAX_BATCH'] ?? 256) });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: callers }, async (_, k) => {
    while (next < total) {
      const n = next++;
      await log.append({
        at: new Date().toISOString(),
        action: 'read',
        actor: `server:${worker}/caller:${k}`,
        subject: `s${n % 1000}`,
        field: 'email',
        purpose: 'contact',
        decision: 'allow',
      });
    }
  }),
);
const ms = performance.now() - t0;
await checkpoints.checkpoint();
await checkpoints.close();
await adapter.close();
process.stdout.write(`${JSON.stringify({ appended: total, ms, start: t0 })}\n`);
process.exit(0);
