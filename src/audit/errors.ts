/**
 * Errors of the audit log's checkpoints and proofs.
 *
 * @module
 */
export { AuditProofError, CheckpointError } from '../errors.js';
