/**
 * `StorageError`: code `STORAGE_ERROR`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * The database rejected an operation for a reason other than being unreachable or a
 * concurrent update (a constraint, a full disk, a schema newer than this library). The driver's
 * own error is not attached: its message and parameters could hold stored data. `driverCode`
 * keeps its SQLSTATE or SQLite code.
 *
 * @example
 * ```ts
 * // StorageError: sqlite adapter at /var/lib/app.db failed to putValue (SQLITE_FULL)
 * ```
 */
export class StorageError extends PurposeBoundError {
  readonly adapter: string;
  readonly location: string;
  readonly operation: string;
  readonly driverCode: string | undefined;
  constructor(adapter: string, location: string, operation: string, driverCode?: string, detail?: string) {
    super('STORAGE_ERROR', `${adapter} adapter at ${location} failed to ${operation}${driverCode ? ` (${driverCode})` : ''}${detail ? `: ${detail}` : ''}`);
    this.adapter = adapter;
    this.location = location;
    this.operation = operation;
    this.driverCode = driverCode;
  }
}
