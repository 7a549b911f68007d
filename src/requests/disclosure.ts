/**
 * The disclosure (開示, APPI Art. 33) of everything held about a subject, as typed JSON: each
 * value with its purposes, provenance, retention and change history; consents; suspensions;
 * provision records (Art. 33(5)); the subject's requests; and the audit entries about them.
 *
 * @module
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import type { Checkpointer } from '../audit/checkpointer.js';
import { proveDisclosedAudit, type DisclosureAuditProof } from '../audit/disclosure-proof.js';
import { dpvBasisConcepts, dpvPersonalDataConcepts, dpvPurposeConcepts } from '../consent-receipts/dpv-vocabulary.js';
import type { Localized } from '../i18n.js';
import type { FieldCategory, LegalBasis } from '../legal.js';
import { disclosureValues } from '../vault/create-vault.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import type { ContactSpec } from '../policy/spec.js';
import { PROVISION_RECORD_KIND, type ProvisionRecord } from '../provision/provision-record.js';
import { parseProvisionRows } from '../provision/provisions.js';
import { valueRetention } from '../retention/retention-schedule.js';
import type { ConsentRecord } from '../state/consent.js';
import type { SuspensionRecord } from '../state/suspension.js';
import type { HistoryEntry, Provenance, Vault } from '../vault/types.js';
import { parseRequest, REQUEST_KIND } from './request-store.js';
import { REQUEST_ARTICLES, type DataSubjectRequest, type RequestKind, type RequestState } from './request.js';
import type { ReceiptRecord } from '../receipts/third-party-receipts.js';

/**
 * A JSON value.
 *
 * @example
 * ```ts
 * const v: JsonValue = { city: 'Kyoto', floors: [1, 2] };
 * ```
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A purpose a disclosed value is used for.
 *
 * @example
 * ```ts
 * disclosure.values[0]?.purposes.map((p) => `${p.id} until ${p.until}`);
 * ```
 */
export interface DisclosedPurpose {
  readonly id: string;
  readonly title: Localized;
  readonly description: Localized;
  readonly basis: LegalBasis;
  /** ISO 8601 retention period of the purpose. */
  readonly retention: string;
  /** Until when this purpose keeps the value. */
  readonly until: string;
  /** The purpose's W3C DPV concepts (the policy's `dpv`, else the default from its basis). */
  readonly dpv?: readonly string[];
  /** The basis as DPV concepts (e.g. `dpv:Contract`). */
  readonly dpvBasis?: readonly string[];
}

/**
 * One disclosed value.
 *
 * @example
 * ```ts
 * for (const v of disclosure.values) console.log(v.field, v.retainedUntil);
 * ```
 */
export interface DisclosedValue {
  readonly field: string;
  readonly title: Localized;
  readonly category: FieldCategory;
  /** The field's DPV / DPV-PD personal-data concepts (e.g. `pd:EmailAddress`). */
  readonly dpv?: readonly string[];
  /** The value, as JSON (dates as ISO 8601 text). */
  readonly value: JsonValue;
  readonly purposes: readonly DisclosedPurpose[];
  readonly provenance: Provenance;
  /** The title of the collection point in `provenance` (its id when the policy no longer has it). */
  readonly collectionPointTitle?: Localized;
  /** When the retention sweep destroys it unless it changes. */
  readonly retainedUntil: string;
  /** Changes of this field (who, when, why; earlier values are not included). */
  readonly history: readonly HistoryEntry[];
}

/**
 * Another request of the same subject, in summary.
 *
 * @example
 * ```ts
 * disclosure.requests.filter((r) => r.state !== 'completed');
 * ```
 */
export interface DisclosedRequest {
  readonly id: string;
  readonly kind: RequestKind;
  readonly state: RequestState;
  readonly receivedAt: string;
}

/**
 * Everything held about a subject, produced by `desk.disclose()`. It contains the person's
 * plain values: hand it to the person and do not log or keep it.
 *
 * @example
 * ```ts
 * const d: Disclosure = await desk.disclose(requestId, { actor: 'dpo' });
 * d.values.map((v) => v.field); // ['email', 'name', ...]
 * JSON.stringify(d); // the typed JSON export
 * ```
 */
export interface Disclosure {
  readonly format: 'purpose-bound/disclosure';
  readonly formatVersion: 1;
  /** `full` (Art. 33(1)) or `provision-records` (Art. 33(5)): then only provisions are filled. */
  readonly scope: 'full' | 'provision-records';
  readonly request: { readonly id: string; readonly kind: RequestKind; readonly receivedAt: string; readonly identityMethod: string | null };
  readonly generatedAt: string;
  readonly controller: { readonly name: Localized; readonly contact: ContactSpec };
  readonly policy: { readonly id: string; readonly version: string };
  readonly subject: string;
  /** Set when the subject was erased: the values no longer exist. */
  readonly erased: { readonly erasedAt: string; readonly reference: string } | null;
  readonly values: readonly DisclosedValue[];
  /** Fields deleted or no longer held whose change history remains. */
  readonly formerFields: readonly { readonly field: string; readonly title: Localized; readonly history: readonly HistoryEntry[] }[];
  readonly consents: readonly ConsentRecord[];
  readonly suspensions: readonly SuspensionRecord[];
  readonly provisions: readonly ProvisionRecord[];
  readonly requests: readonly DisclosedRequest[];
  readonly audit: readonly AuditEntry[];
  /**
   * With checkpoints configured (`createRequestDesk({ checkpoints })`): a checkpoint signed when
   * the disclosure was made and an inclusion proof of each entry of `audit` against it, checked
   * offline by `purpose-bound verify-disclosure` or `verifyDisclosureAudit`.
   */
  readonly auditProof?: DisclosureAuditProof;
  /** Records of receipt from third parties (APPI Art. 30), disclosable with the provision records (Art. 33(5)). */
  readonly receipts?: readonly ReceiptRecord[];
  /**
   * The policy's titles of the fields and purposes, so that every id in the disclosure
   * (provision records, audit entries) can be shown in words in each language.
   */
  readonly titles?: { readonly fields: Readonly<Record<string, Localized>>; readonly purposes: Readonly<Record<string, Localized>> };
}

/** @internal a stored value as JSON: dates as ISO text, big integers as text, maps and sets as arrays. */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map) return [...value].map(([k, v]) => [toJsonValue(k), toJsonValue(v)]);
  if (value instanceof Set) return [...value].map(toJsonValue);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
    return out;
  }
  return String(value);
}

/**
 * @internal gather the disclosure. Values are decrypted here, for the person, and nowhere else;
 * the caller audits and completes the request before returning it.
 */
export async function buildDisclosure(
  vault: Vault<AnyPolicy>,
  request: DataSubjectRequest,
  scope: Disclosure['scope'],
  now: Date,
  checkpoints?: Checkpointer,
): Promise<Disclosure> {
  const policy = vault.policy as AnyPolicy;
  const subject = request.subject;
  const erasure = await vault.erasure(subject);
  const provisions = parseProvisionRows(await vault.records.list(PROVISION_RECORD_KIND, { subject }));
  const base = {
    format: 'purpose-bound/disclosure' as const,
    formatVersion: 1 as const,
    scope,
    request: { id: request.id, kind: request.kind, receivedAt: request.receivedAt, identityMethod: request.identity?.method ?? null },
    generatedAt: now.toISOString(),
    controller: { name: policy.spec.controller.name, contact: policy.spec.controller.contact },
    policy: { id: policy.id, version: policy.version },
    subject,
    erased: erasure === undefined ? null : { erasedAt: erasure.erasedAt, reference: erasure.reference },
    provisions,
    receipts: (await vault.audit.entries({ subject, action: 'receipt.record' })).map((e) => JSON.parse(String(e.details?.doc)) as ReceiptRecord),
    titles: {
      fields: Object.fromEntries((policy.fieldIds as readonly string[]).map((id) => [id, policy.field(id).title])),
      purposes: Object.fromEntries((policy.purposeIds as readonly string[]).map((id) => [id, policy.purpose(id).title])),
    },
  };
  if (scope === 'provision-records') {
    const audit = (await vault.audit.entries({ subject, action: 'provide' })) as readonly AuditEntry[];
    const proof = checkpoints === undefined ? {} : { auditProof: await proveDisclosedAudit(vault.adapter, audit, checkpoints) };
    return { ...base, values: [], formerFields: [], consents: [], suspensions: [], requests: [], audit: [...audit], ...proof };
  }
  const values: DisclosedValue[] = [];
  const formerFields: { field: string; title: Localized; history: HistoryEntry[] }[] = [];
  if (erasure === undefined) {
    const read = await disclosureValues(vault, subject, { actor: 'request-desk', basis: `appi:${REQUEST_ARTICLES[request.kind]}`, reference: request.id });
    const provenance = await vault.provenance(subject);
    const history = await vault.history(subject);
    for (const { field: id, value, restrictTo: bound } of [...read].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))) {
      const prov = provenance[id];
      if (prov === undefined || !policy.hasField(id)) continue;
      const spec = policy.field(id);
      const restrictTo = bound === undefined ? undefined : [...bound];
      const retention = valueRetention(policy, id, prov, restrictTo === undefined ? {} : { restrictTo });
      values.push({
        field: id,
        title: spec.title,
        category: spec.category,
        dpv: dpvPersonalDataConcepts(policy, id),
        value: toJsonValue(value),
        purposes: (retention?.purposes ?? []).map((p) => {
          const ps = policy.purpose(p.purpose);
          return {
            id: p.purpose,
            title: ps.title,
            description: ps.description,
            basis: ps.basis,
            retention: p.retention,
            until: p.until,
            dpv: dpvPurposeConcepts(policy, p.purpose),
            dpvBasis: dpvBasisConcepts(policy, p.purpose),
          };
        }),
        provenance: prov,
        collectionPointTitle: (policy.collectionPointIds as readonly string[]).includes(prov.collectionPoint)
          ? policy.collectionPoint(prov.collectionPoint).title
          : { en: prov.collectionPoint, ja: prov.collectionPoint },
        retainedUntil: retention?.until ?? prov.collectedAt,
        history: history.filter((h) => h.field === id),
      });
    }
    const held = new Set(values.map((v) => v.field));
    for (const h of history) {
      if (held.has(h.field)) continue;
      let f = formerFields.find((x) => x.field === h.field);
      if (f === undefined) {
        f = { field: h.field, title: policy.hasField(h.field) ? policy.field(h.field).title : { en: h.field, ja: h.field }, history: [] };
        formerFields.push(f);
      }
      f.history.push(h);
    }
  }
  const consents = [...(await vault.consents.list(subject))];
  const suspensions = [...(await vault.suspensions.list(subject))];
  const requests = (await vault.records.list(REQUEST_KIND, { subject })).map(parseRequest).map((r) => ({ id: r.id, kind: r.kind, state: r.state, receivedAt: r.receivedAt }));
  const audit = [...((await vault.audit.entries({ subject })) as readonly AuditEntry[])];
  const proof = checkpoints === undefined ? {} : { auditProof: await proveDisclosedAudit(vault.adapter, audit, checkpoints) };
  return { ...base, values, formerFields, consents, suspensions, requests, audit, ...proof };
}
