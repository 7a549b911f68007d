/**
 * purpose-bound: handle personal data only for the purposes it was collected for.
 *
 * @module purpose-bound
 */
export * from './errors.js';
export { LANGUAGES, type Lang, type Localized } from './i18n.js';
export {
  FIELD_CATEGORIES,
  LEGAL_BASES,
  LEGAL_BASIS_IDS,
  LEGAL_EXCEPTIONS,
  LEGAL_EXCEPTION_IDS,
  type FieldCategory,
  type LegalBasis,
  type LegalException,
} from './legal.js';
export { addDuration, parseDuration, type Duration } from './util/duration.js';
export type { MaybePromise } from './util/maybe-promise.js';
export type {
  CollectionPointSpec,
  ContactSpec,
  ControllerSpec,
  FieldSpec,
  PolicySpec,
  ProvenanceSource,
  PurposeSpec,
  VendorSpec,
} from './policy/spec.js';
export type {
  AllowedPurposes,
  CollectionPointsSpec,
  FieldInput,
  FieldsSpec,
  FieldValue,
  PurposesSpec,
  VendorsSpec,
} from './policy/types.js';
export { definePolicy, isPolicy, type AnyPolicy, type FieldIdOf, type FieldsOf, type Policy, type PurposeIdOf, type WrapOptions } from './policy/define-policy.js';
export { isPersonalField, PersonalField, type PersonalPurposes, type PersonalValue } from './personal-field.js';
export {
  auditLeafData,
  chainAuditEntry,
  computeAuditHash,
  computeLegacyAuditHash,
  GENESIS_HASH,
  type AuditDecision,
  type AuditDetail,
  type AuditEntry,
  type AuditEntryInput,
} from './audit/audit-entry.js';
export { createMemoryAuditLog, type AuditLog, type AuditQuery } from './audit/audit-log.js';
export { verifyAuditLog, type AuditBreak, type AuditVerification, type VerifyAuditOptions } from './audit/verify-audit-log.js';
// Audit log: Merkle tree, proofs, signed checkpoints, group commit (issue 17).
export {
  buildProof,
  CompactRange,
  consistencyProofRanges,
  EMPTY_TREE_ROOT,
  hashChildren,
  hashLeaf,
  inclusionProofRanges,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
  type LeafRange,
  type TreeNodeRef,
} from './audit/merkle.js';
export {
  generateNoteKeys,
  noteKeyId,
  noteSigner,
  noteVerifier,
  openNote,
  signNote,
  type NoteKeys,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
} from './audit/signed-note.js';
export {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
  type OpenCheckpointOptions,
  type SignedCheckpoint,
} from './audit/checkpoint.js';
export { cosignCheckpoint, openCosignedCheckpoint, witnessCosigner, type Cosignature, type WitnessCosigner } from './audit/cosignature.js';
export { fileCheckpointSink, httpCheckpointSink, type CheckpointSink, type FileCheckpointSinkOptions, type HttpCheckpointSinkOptions } from './audit/checkpoint-sinks.js';
export { createCheckpointer, type Checkpointer, type CheckpointerOptions } from './audit/checkpointer.js';
export { createAuditProofs, type AuditProofs, type AuditTreeState, type ConsistencyProof, type InclusionProof } from './audit/audit-proofs.js';
export { createGroupCommitAuditLog, type GroupCommitAuditLog, type GroupCommitOptions } from './audit/group-commit.js';
export { verifyDisclosureAudit, type DisclosureAuditProof, type DisclosureAuditVerification } from './audit/disclosure-proof.js';
export { AuditProofError, CheckpointError } from './audit/errors.js';
export { createMemoryConsentRegistry, type ConsentEvent, type ConsentRecord, type ConsentRegistry } from './state/consent.js';
export {
  createMemorySuspensionRegistry,
  type SuspensionInput,
  type SuspensionRecord,
  type SuspensionRegistry,
} from './state/suspension.js';
export {
  createGuard,
  type ConsentInput,
  type ErasureRegistry,
  type Guard,
  type GuardOptions,
  type OutsidePurposeBasis,
  type OutsidePurposeOptions,
  type ReadOptions,
  type SuspendInput,
} from './guard/guard.js';
export type {
  AdapterCapabilities,
  GetSubjectOptions,
  HistoryRow,
  RecordRow,
  StorageAdapter,
  StorageTransaction,
  SubjectRow,
  SubjectState,
  SubjectStateQuery,
  SubjectWithValues,
  StorageWrite,
  TransactionOptions,
  ValueRow,
} from './storage/adapter.js';
export { SCHEMA_VERSION } from './storage/adapter.js';
export type { AuditTreeHead } from './storage/adapter.js';
export { applyWritesInTransaction, auditQueryMatches } from './storage/adapter-kit.js';
export { verifyValueVersions, type ValueVersionFinding, type ValueVersionReport, type VerifyValueVersionsOptions } from './storage/verify-value-versions.js';
export { createVault } from './vault/create-vault.js';
export type { DataKeyCacheOptions } from './vault/data-key-cache.js';
export { SubjectAlreadyErasedError, SubjectChangedError, ValueNotFoundError } from './errors.js';
export type { ChangeInput, CollectInput, ErasureRecord, HistoryEntry, Provenance, ReadManyResult, Vault, VaultField, VaultOptions } from './vault/types.js';
export type { RecordTransaction, VaultRecords } from './vault/records.js';
export type {
  RetentionDestroyInput,
  RetentionDestroyResult,
  RetentionPage,
  RetentionScanOptions,
  StoredHistoryInfo,
  StoredValueInfo,
  SubjectMetadata,
  VaultRetention,
} from './vault/retention.js';
export type { Keyring } from './crypto/keyring.js';
export { createLocalKeyring, generateKey, localKeyringFromEnv, localKeyringFromFile, type KeyMaterial, type LocalKeyringOptions } from './crypto/local-keyring.js';
export { fileSubjectSecrets, memorySubjectSecrets, type SubjectSecretStore } from './crypto/subject-secrets.js';
export * from './notices/index.js';
export * from './requests/index.js';
// APPI completeness (issue #14): Art. 32(1) matters, foreign recipients (Art. 28).
export {
  CHARGEABLE_REQUESTS,
  DISCLOSURE_METHODS,
  SECURITY_MEASURE_CATEGORIES,
  type ChargeableRequest,
  type DisclosureMethod,
  type ExternalEnvironmentSpec,
  type FeeSpec,
  type RequestProcedureSpec,
  type RetainedDataSpec,
  type SecurityMeasuresSpec,
} from './policy/retained-data-spec.js';
export {
  FOREIGN_PROVISION_BASES,
  PPC_DESIGNATED_COUNTRIES,
  foreignProvisionConsentPurpose,
  type ForeignProvisionBasis,
  type ForeignRecipientSpec,
} from './policy/foreign-recipient-spec.js';
// Leakage (漏えい等) workflow, APPI Art. 26 / GDPR Arts. 33-34 (issue #14).
export * from './breach/index.js';
// Records of receipt from third parties, APPI Art. 30 (issue #14).
export { createReceipts, type ReceiptInput, type ReceiptRecord, type Receipts } from './receipts/third-party-receipts.js';
export type { JointUseSpec, OptOutSpec } from './policy/joint-use-spec.js';
