/**
 * The storage adapter conformance suite: the tests every `StorageAdapter` must pass, published
 * so that the author of a new adapter (MySQL, DynamoDB, ...) runs exactly what the built-in
 * adapters run.
 *
 * ## How to use it
 *
 * ```ts
 * // test/my-adapter.test.ts (vitest)
 * import { runAdapterConformance } from 'purpose-bound/testing';
 * import { myAdapter } from '../src/my-adapter.js';
 *
 * runAdapterConformance({
 *   name: 'my-adapter',
 *   // A new, not yet opened adapter. The suite opens and closes it. Several adapters may share
 *   // one database: the suite uses fresh random ids and never assumes an empty database.
 *   createAdapter: async () => myAdapter({ url: process.env.MY_DB_URL! }),
 *   // Everything the database holds, as raw bytes or text (the file, a dump of every table):
 *   // the suite searches it for every plaintext value it wrote.
 *   rawDump: async (adapter) => dumpEverything(),
 *   // Optional: a second connection to the same database as `adapter`.
 *   concurrent: async (adapter) => myAdapter({ url: process.env.MY_DB_URL! }),
 *   // Optional: a new adapter over the data of `adapter`, which the suite has closed.
 *   reopen: async (adapter) => myAdapter({ url: process.env.MY_DB_URL! }),
 *   // Parts the adapter cannot support, each with the reason (printed in the test name).
 *   skip: { concurrency: 'the store has a single writer by design' },
 * });
 * ```
 *
 * `vitest` is a development dependency of your project: the suite imports `describe`, `it` and
 * `expect` from it (and the package build keeps `vitest` external). `zod` must be installed
 * (it is a peer dependency of purpose-bound anyway).
 *
 * Give the suite a database (or schema) of its own: key rotation re-wraps the data keys of every
 * subject in the database, so the subjects of other test suites (wrapped by keys the suite does
 * not hold) would make it fail. Data left by earlier runs of the suite is fine: the suite's
 * test keys are fixed.
 *
 * @module
 */
import { describe, it } from 'vitest';
import { lifecyclePart } from './lifecycle.js';
import { migrationsPart } from './migrations.js';
import { subjectsPart } from './subjects.js';
import { valuesPart } from './values.js';
import { historyPart } from './history.js';
import { recordsPart } from './records.js';
import { fieldTypesPart } from './field-types.js';
import { atomicityPart } from './atomicity.js';
import { concurrencyPart } from './concurrency.js';
import { consentsPart } from './consents.js';
import { suspensionsPart } from './suspensions.js';
import { auditPart } from './audit.js';
import { fastPathsPart } from './fast-paths.js';
import { lookupsPart } from './lookups.js';
import { erasurePart } from './erasure.js';
import { keyRotationPart } from './key-rotation.js';
import { tamperPart } from './tamper.js';
import { plaintextPart } from './plaintext.js';
import { argumentsPart } from './arguments.js';
import { CONFORMANCE_PARTS, suiteContext, type AdapterConformanceOptions, type ConformancePart, type SuiteContext } from './support.js';

export { CONFORMANCE_PARTS, type AdapterConformanceOptions, type ConformancePart } from './support.js';

/** Each part's tests, registered in this order. */
const PARTS: Readonly<Record<ConformancePart, (ctx: SuiteContext) => void>> = {
  lifecycle: lifecyclePart,
  migrations: migrationsPart,
  subjects: subjectsPart,
  values: valuesPart,
  history: historyPart,
  records: recordsPart,
  'field-types': fieldTypesPart,
  atomicity: atomicityPart,
  concurrency: concurrencyPart,
  consents: consentsPart,
  suspensions: suspensionsPart,
  audit: auditPart,
  'fast-paths': fastPathsPart,
  lookups: lookupsPart,
  erasure: erasurePart,
  'key-rotation': keyRotationPart,
  tamper: tamperPart,
  plaintext: plaintextPart,
  arguments: argumentsPart,
};

/**
 * Register the conformance suite for one adapter with vitest (`describe` / `it`). Call it at the
 * top level of a test file. Each part is a `describe` block named after it; a part listed in
 * `skip` is reported as skipped with its reason in the name.
 *
 * @param options - how to create adapters, dump raw contents, open a second connection, reopen
 * @throws InvalidArgumentError-like `TypeError` at registration when a required option is missing
 * @example
 * ```ts
 * import { runAdapterConformance } from 'purpose-bound/testing';
 * import { memoryAdapter, type MemoryAdapter } from 'purpose-bound/adapters/memory';
 *
 * runAdapterConformance({
 *   name: 'memory',
 *   createAdapter: async () => memoryAdapter(),
 *   rawDump: async (adapter) => (adapter as MemoryAdapter).rawContents(),
 *   concurrent: async (adapter) => (adapter as MemoryAdapter).connect(),
 * });
 * ```
 */
export function runAdapterConformance(options: AdapterConformanceOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('runAdapterConformance: options must be an object');
  if (typeof options.name !== 'string' || options.name === '') throw new TypeError('runAdapterConformance: options.name must be a non-empty string');
  if (typeof options.createAdapter !== 'function') throw new TypeError('runAdapterConformance: options.createAdapter must be a function');
  if (typeof options.rawDump !== 'function') throw new TypeError('runAdapterConformance: options.rawDump must be a function');
  const skip = options.skip ?? {};
  for (const [part, reason] of Object.entries(skip)) {
    if (!(CONFORMANCE_PARTS as readonly string[]).includes(part))
      throw new TypeError(`runAdapterConformance: skip.${part} is not a part of the suite (${CONFORMANCE_PARTS.join(', ')})`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new TypeError(`runAdapterConformance: skip.${part} must give the reason as a non-empty string`);
  }
  const ctx = suiteContext(options);

  describe(`StorageAdapter conformance: ${options.name}`, () => {
    for (const name of Object.keys(PARTS) as ConformancePart[]) {
      const reason = skip[name];
      if (reason !== undefined) {
        describe.skip(`${name} (skipped: ${reason})`, () => {
          it(`is not run for ${options.name}: ${reason}`, () => undefined);
        });
        continue;
      }
      describe(name, () => PARTS[name](ctx));
    }
  });
}
