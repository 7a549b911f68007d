/**
 * `purpose-bound/requests`: data-subject requests (disclosure, correction, deletion, suspension
 * of use, erasure) behind identity verification, disclosure reports, third-party provision
 * records, retention that executes, and consent receipts. The same exports are also available
 * from the package root.
 *
 * @module purpose-bound/requests
 */
export * from '../requests/index.js';
