/**
 * Consent receipts and DPV exports (issue 13): ISO/IEC TS 27560 records in the DPV profile,
 * Kantara v1.1 receipts, the policy as a DPV record of processing, the DPV vocabulary mapping,
 * and the rule that consent is recorded only for purposes whose basis is consent.
 *
 * @module
 */
export { ConsentNotTheBasisError, consentPurposesOf, isConsentPurpose } from '../policy/consent-purposes.js';
export type { ControllerDetails, PostalAddress, RightsLaw } from './dpv-nodes.js';
export {
  DPV_CONCEPT_PREFIXES,
  DPV_CONTEXT,
  DPV_DEFAULT_PERSONAL_DATA,
  DPV_DEFAULT_PURPOSE,
  DPV_LEGAL_BASES,
  DPV_NAMESPACES,
  DPV_RIGHTS,
  dpvBasisConcepts,
  dpvPersonalDataConcepts,
  dpvPurposeConcepts,
  isDpvConceptName,
  type DpvRight,
  type LangStrings,
} from './dpv-vocabulary.js';
export {
  DPV_27560_CONTEXT,
  DPV_27560_RECORD_SCHEMA,
  toIso27560Records,
  validateIso27560Record,
  type Iso27560ConsentEvent,
  type Iso27560Options,
  type Iso27560Record,
} from './iso-27560.js';
export {
  KANTARA_PII_CATEGORIES,
  KANTARA_PURPOSE_CATEGORIES,
  toKantaraReceipt,
  validateKantaraReceipt,
  type KantaraAddress,
  type KantaraConsentReceipt,
  type KantaraPiiController,
  type KantaraPurpose,
  type KantaraReceiptOptions,
} from './kantara.js';
export { toDpvRecordOfProcessing, type DpvRecordOfProcessingOptions } from './record-of-processing.js';
