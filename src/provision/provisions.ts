/**
 * `createProvisions`: hand personal values to a contractor or a third party only through the
 * guard's rules and the policy's vendor registry, and keep the Art. 29 record of it.
 *
 * @module
 */
import type { AuditEntryInput } from '../audit/audit-entry.js';
import { ConsentRequiredError, ExceptionNotPermittedError, InvalidArgumentError, SubjectNotFoundError, UnknownPurposeError } from '../errors.js';
import { ValueNotFoundError } from '../errors.js';
import { assertStoredText, isStoredText } from '../util/stored-text.js';
import type { OutsidePurposeBasis } from '../guard/guard.js';
import { LEGAL_EXCEPTIONS, type LegalException } from '../legal.js';
import { assertSubjectId, type AnyPolicy, type FieldIdOf, type PurposeIdOf } from '../policy/define-policy.js';
import type { VendorSpec } from '../policy/spec.js';
import { consentInForce, type ConsentRecord } from '../state/consent.js';
import type { RecordRow } from '../storage/adapter.js';
import { orderedId } from '../vault/ordered-id.js';
import { parseDoc } from '../vault/stores.js';
import type { Vault } from '../vault/types.js';
import { ForeignProvisionRefusedError, VendorNotAllowedError } from '../errors.js';
import { foreignProvisionConsentPurpose } from '../policy/foreign-recipient-spec.js';
import { isProvisionStopped } from './provision-stops.js';
import {
  PROVISION_RECORD_KIND,
  effectiveKeepUntil,
  provisionRecordKeepUntil,
  type ProvisionBasis,
  type ProvisionRecord,
  type ProvisionRecordRetention,
} from './provision-record.js';

/**
 * Input of `provisions.provide`.
 *
 * @example
 * ```ts
 * const input: ProvideInput<typeof policy> = { vendor: 'mailingService', subject, fields: ['name', 'address'], purpose: 'courseMaterials', actor: 'staff:7' };
 * ```
 */
export interface ProvideInput<Pol extends AnyPolicy> {
  /** Vendor id in the policy's `vendors`. */
  readonly vendor: string;
  readonly subject: string;
  /** Fields to hand over; each must be among the vendor's fields. */
  readonly fields: readonly FieldIdOf<Pol>[];
  /** The purpose the vendor receives them for; must be among the vendor's purposes. */
  readonly purpose: PurposeIdOf<Pol>;
  /** Who hands them over. */
  readonly actor: string;
  /**
   * Ground of the provision. Contractors: omit (entrustment, Art. 27(5)(i)). Third parties:
   * `'consent'` (default; a consent in force for the purpose is required) or a legal
   * exception `{ exception, reference }` the policy announces, or `'opt-out'` for a third party
   * whose `optOut` the policy states (Art. 27(2)). Joint users: omit (joint use, Art. 27(5)(iii)).
   */
  readonly basis?: OutsidePurposeBasis | 'opt-out';
  /** How long the record is kept; default `standard` (the policy's period, 3 years by default). */
  readonly retention?: ProvisionRecordRetention;
}

/**
 * What `provide` returns: the record written, and the values for you to transmit.
 *
 * @example
 * ```ts
 * const { record, values }: Provision = await provisions.provide(input);
 * ```
 */
export interface Provision {
  readonly record: ProvisionRecord;
  /** The plain values, by field. Send them to the recipient and do not keep them. */
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * Options of {@link createProvisions}.
 *
 * @example
 * ```ts
 * createProvisions({ vault, clock: () => new Date() } satisfies ProvisionsOptions<typeof policy>);
 * ```
 */
export interface ProvisionsOptions<Pol extends AnyPolicy> {
  readonly vault: Vault<Pol>;
  /** Default: the vault's clock is not visible, so `() => new Date()`. */
  readonly clock?: () => Date;
}

/**
 * Provision to vendors and third parties, with Art. 29 records.
 *
 * @example
 * ```ts
 * const provisions = createProvisions({ vault });
 * const { record, values } = await provisions.provide({
 *   vendor: 'eventInsurer', subject, fields: ['name', 'dateOfBirth'], purpose: 'eventInsurance', actor: 'staff:7',
 * });
 * await insurer.send(values);
 * ```
 */
export interface Provisions<Pol extends AnyPolicy> {
  /**
   * Check the vendor registry and the basis, read each field through the guard (purpose,
   * suspension, erasure, consent), then write the provision record and its audit entry in one
   * transaction, and only then return the values.
   *
   * @throws VendorNotAllowedError, ConsentRequiredError, UseSuspendedError, PurposeNotAllowedError,
   *   SubjectErasedError, SubjectNotFoundError, ValueNotFoundError, ExceptionNotPermittedError,
   *   InvalidArgumentError
   */
  provide(input: ProvideInput<Pol>): Promise<Provision>;
  /** A subject's provision records, oldest first (disclosable, Art. 33(5)). */
  records(subject: string): Promise<readonly ProvisionRecord[]>;
  /**
   * Remove records whose retention has ended at `now` (audited, one entry per record). Safe to
   * run repeatedly and concurrently: a record is removed and audited once.
   */
  expire(options: { readonly now: Date; readonly actor: string }): Promise<{ readonly expired: readonly string[] }>;
}

/** @internal list a subject's provision records inside a transaction. */
export function parseProvisionRows(rows: readonly RecordRow[]): ProvisionRecord[] {
  return rows.map((r) => parseDoc<ProvisionRecord>(r));
}

function vendorOf(policy: AnyPolicy, id: unknown): VendorSpec {
  if (typeof id !== 'string' || !(policy.vendorIds as readonly string[]).includes(id)) throw new VendorNotAllowedError(String(id), 'unknown-vendor');
  return policy.vendor(id) as VendorSpec;
}

/**
 * Create the provision desk over a vault.
 *
 * @param options - the vault, optionally a clock
 * @throws InvalidArgumentError when `options.vault` is missing
 * @example
 * ```ts
 * const provisions = createProvisions({ vault });
 * await provisions.provide({ vendor: 'mailingService', subject, fields: ['name', 'address'], purpose: 'courseMaterials', actor: 'staff:7' });
 * ```
 */
export function createProvisions<Pol extends AnyPolicy>(options: ProvisionsOptions<Pol>): Provisions<Pol> {
  if (typeof options !== 'object' || options === null || typeof options.vault !== 'object' || options.vault === null) {
    throw new InvalidArgumentError('options.vault', 'must be a vault made by createVault()');
  }
  const { vault } = options;
  const policy = vault.policy as AnyPolicy;
  const clock = options.clock ?? (() => new Date());

  async function deny(error: VendorNotAllowedError | ConsentRequiredError | ForeignProvisionRefusedError, entry: Omit<AuditEntryInput, 'decision' | 'reason'>): Promise<never> {
    await vault.audit.append({ ...entry, decision: 'deny', reason: error.code });
    throw error;
  }

  return Object.freeze({
    async provide(input: ProvideInput<Pol>): Promise<Provision> {
      if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('input', 'must be an object');
      assertSubjectId(input.subject, 'input.subject');
      assertStoredText(input.actor, 'input.actor', 200, 'a non-empty string naming who acts');
      const fields = input.fields as unknown;
      if (!Array.isArray(fields) || fields.length === 0) throw new InvalidArgumentError('input.fields', 'must be a non-empty array of field ids');
      for (const f of fields) if (typeof f !== 'string' || !policy.hasField(f)) throw new InvalidArgumentError('input.fields', 'must hold field ids of the policy');
      const purpose = input.purpose as unknown;
      if (typeof purpose !== 'string' || !policy.hasPurpose(purpose)) throw new UnknownPurposeError(String(purpose), policy.id);
      const retention = input.retention ?? 'standard';
      if (retention !== 'standard' && retention !== 'supply-to-person' && retention !== 'collective')
        throw new InvalidArgumentError('input.retention', "must be 'standard', 'supply-to-person' or 'collective'");
      const uniqueFields = [...new Set(fields as string[])];
      const now = clock();
      const at = now.toISOString();
      const base = { at, action: 'provide', actor: input.actor, subject: input.subject, purpose };

      // 1. The vendor registry: the vendor, its fields, its purposes (a child purpose of a listed one counts).
      const vendorId = input.vendor as unknown;
      let vendor: VendorSpec;
      try {
        vendor = vendorOf(policy, vendorId);
      } catch (error) {
        return deny(error as VendorNotAllowedError, { ...base, details: { vendor: null } });
      }
      const vendorDetails = { vendor: vendorId as string, role: vendor.role, fields: uniqueFields.join(',') };
      const vendorFields = new Set<string>(vendor.fields);
      for (const f of uniqueFields) {
        if (!vendorFields.has(f)) return deny(new VendorNotAllowedError(vendorId as string, 'field', { field: f }), { ...base, field: f, details: vendorDetails });
      }
      const vendorPurposes = new Set<string>(vendor.purposes);
      if (!policy.lineage(purpose).some((p) => vendorPurposes.has(p))) {
        return deny(new VendorNotAllowedError(vendorId as string, 'purpose', { purpose }), { ...base, details: vendorDetails });
      }

      // 1b. The person asked to stop provision to third parties (Art. 35(3)/(5)); a legal exception still applies.
      if (!(typeof input.basis === 'object' && input.basis !== null) && (await isProvisionStopped(vault.audit, input.subject, vendorId as string, vendor))) {
        return deny(
          new VendorNotAllowedError(vendorId as string, 'stopped', { detail: 'the person has asked that provision of their data to third parties be stopped (APPI Art. 35(3))' }),
          { ...base, details: { ...vendorDetails, stopped: true } },
        );
      }

      // 2. The basis, by role.
      let basis: ProvisionBasis;
      let reference: string | undefined;
      let exception: LegalException | undefined;
      let consentIds: string[] | undefined;
      const given = input.basis as unknown;
      if (vendor.role === 'contractor') {
        if (given !== undefined) {
          return deny(new VendorNotAllowedError(vendorId as string, 'basis', { detail: 'a contractor receives data under entrustment (APPI Art. 27(5)(i)); omit basis' }), {
            ...base,
            details: vendorDetails,
          });
        }
        basis = 'entrustment';
      } else if (vendor.role === 'joint-user') {
        if (given !== undefined) {
          return deny(new VendorNotAllowedError(vendorId as string, 'basis', { detail: 'a joint user receives data under joint use (APPI Art. 27(5)(iii)); omit basis' }), {
            ...base,
            details: vendorDetails,
          });
        }
        basis = 'joint-use';
      } else if (given === 'opt-out') {
        if (vendor.optOut === undefined) {
          return deny(new VendorNotAllowedError(vendorId as string, 'basis', { detail: 'the policy states no opt-out provision to this third party (APPI Art. 27(2))' }), {
            ...base,
            details: vendorDetails,
          });
        }
        for (const f of uniqueFields) {
          if (policy.field(f).category === 'special-care') {
            return deny(
              new VendorNotAllowedError(vendorId as string, 'basis', { detail: 'special care-required personal information cannot be provided by opt-out (APPI Art. 27(2))' }),
              { ...base, field: f, details: vendorDetails },
            );
          }
        }
        // Data the operator itself received by opt-out cannot be passed on by opt-out (Art. 27(2) proviso).
        for (const e of await vault.audit.entries({ subject: input.subject, action: 'receipt.record' })) {
          const doc = JSON.parse(String(e.details?.doc ?? '{}')) as { optOut?: boolean; fields?: string[] };
          if (doc.optOut === true && (doc.fields ?? []).some((f) => uniqueFields.includes(f))) {
            return deny(new VendorNotAllowedError(vendorId as string, 'basis', { detail: 'data received by opt-out cannot be provided by opt-out again (APPI Art. 27(2))' }), {
              ...base,
              details: vendorDetails,
            });
          }
        }
        basis = 'opt-out';
      } else if (given === undefined || given === 'consent') {
        basis = 'consent';
        const events: readonly ConsentRecord[] = await vault.consents.list(input.subject);
        const lineage = policy.lineage(purpose);
        const inForce = lineage.filter((p) => consentInForce(events, p, now));
        if (inForce.length === 0) {
          const error = new ConsentRequiredError({ field: uniqueFields[0] as string, purpose, subject: input.subject });
          return deny(error, { ...base, basis: 'consent', details: vendorDetails });
        }
        consentIds = inForce.map((p) => {
          for (let i = events.length - 1; i >= 0; i--) if ((events[i] as ConsentRecord).purpose === p) return (events[i] as ConsentRecord).id;
          return '';
        });
      } else if (typeof given === 'object' && given !== null && typeof (given as { exception?: unknown }).exception === 'string') {
        const ex = (given as { exception: string }).exception;
        if (!Object.hasOwn(LEGAL_EXCEPTIONS, ex)) throw new InvalidArgumentError('input.basis.exception', `must be one of ${Object.keys(LEGAL_EXCEPTIONS).join(', ')}`);
        if (!(policy.exceptions as readonly string[]).includes(ex)) throw new ExceptionNotPermittedError(ex, policy.id);
        const ref = (given as { reference?: unknown }).reference;
        if (!isStoredText(ref, 500)) {
          throw new InvalidArgumentError('input.basis.reference', 'must name the law, case or request the exception rests on (1-500 characters)');
        }
        exception = ex as LegalException;
        reference = ref;
        basis = `exception:${exception}`;
      } else {
        throw new InvalidArgumentError('input.basis', "must be 'consent' or { exception, reference }");
      }

      // 2b. A recipient abroad (Art. 28(1)): unless a legal exception applies (27(1)(i)-(iv)),
      // its ground from the policy; `consent` needs the person's consent to this recipient.
      let foreign: ProvisionRecord['foreign'];
      if (vendor.country !== 'JP' && exception === undefined) {
        const f = vendor.foreign;
        if (f === undefined) return deny(new ForeignProvisionRefusedError(vendorId as string, vendor.country), { ...base, details: { ...vendorDetails, country: vendor.country } });
        if (f.basis === 'consent') {
          const abroad = foreignProvisionConsentPurpose(vendorId as string);
          const events: readonly ConsentRecord[] = await vault.consents.list(input.subject);
          if (!consentInForce(events, abroad, now)) {
            return deny(new ForeignProvisionRefusedError(vendorId as string, vendor.country), {
              ...base,
              details: { ...vendorDetails, country: vendor.country, foreign: 'consent' },
            });
          }
          let consentId = '';
          for (let i = events.length - 1; i >= 0; i--)
            if ((events[i] as ConsentRecord).purpose === abroad) {
              consentId = (events[i] as ConsentRecord).id;
              break;
            }
          foreign = Object.freeze({ basis: 'consent' as const, consentId });
        } else if (f.basis === 'equivalent-measures') {
          foreign = Object.freeze({ basis: 'equivalent-measures' as const, reference: f.equivalentMeasures?.reference ?? '' });
        } else {
          foreign = Object.freeze({ basis: 'adequate-country' as const });
        }
      }

      // 3. The values, through the vault's decision: one statement reads them with the
      // subject's state (erasure, suspension of use, consents), each read is decided for the
      // purpose (or the legal exception) and audited; nothing is decrypted unless all are allowed.
      const options =
        exception === undefined
          ? { purpose: purpose as never, actor: input.actor }
          : { purpose: purpose as never, actor: input.actor, basis: { exception, reference: reference as string } };
      const [read] = await vault.readMany([input.subject], uniqueFields as never[], options);
      if (read === undefined || !read.ok) throw (read as { error: Error } | undefined)?.error ?? new SubjectNotFoundError(input.subject);
      const values: Record<string, unknown> = {};
      for (const f of uniqueFields) {
        if (!Object.hasOwn(read.values, f)) throw new ValueNotFoundError(input.subject, f);
        values[f] = (read.values as Record<string, unknown>)[f];
      }

      // 4. The Art. 29 record and its audit entry, in one transaction; values only after it commits.
      const record: ProvisionRecord = Object.freeze({
        id: orderedId(),
        subject: input.subject,
        vendor: vendorId as string,
        recipient: Object.freeze({
          name: vendor.name,
          role: vendor.role,
          country: vendor.country,
          ...(vendor.contract !== undefined && { contract: vendor.contract }),
        }),
        fields: Object.freeze(uniqueFields),
        purpose,
        basis,
        ...(reference !== undefined && { reference }),
        ...(consentIds !== undefined && { consentIds: Object.freeze(consentIds) }),
        ...(foreign !== undefined && { foreign }),
        providedAt: at,
        actor: input.actor,
        policyVersion: policy.version,
        retention,
        keepUntil: provisionRecordKeepUntil(policy, now, retention),
      });
      await vault.records.transaction(record.subject, async (tx) => {
        await tx.putRecord({ kind: PROVISION_RECORD_KIND, id: record.id, subjectId: record.subject, createdAt: at, doc: JSON.stringify(record) });
        await tx.appendAudit({
          ...base,
          basis,
          decision: 'allow',
          ...(reference !== undefined && { reference }),
          details: { ...vendorDetails, record: record.id, country: vendor.country, keepUntil: record.keepUntil, ...(foreign !== undefined && { foreign: foreign.basis }) },
        });
      });
      return Object.freeze({ record, values: Object.freeze(values) });
    },

    async records(subject: string): Promise<readonly ProvisionRecord[]> {
      assertSubjectId(subject, 'subject');
      const rows = await vault.records.list(PROVISION_RECORD_KIND, { subject });
      return Object.freeze(parseProvisionRows(rows));
    },

    async expire(opts: { readonly now: Date; readonly actor: string }): Promise<{ readonly expired: readonly string[] }> {
      return expireProvisionRecords(vault, opts);
    },
  });
}

/**
 * @internal remove provision records past `keepUntil`. Each record is deleted and audited in one
 * transaction; a record another sweep removed first is skipped (no second audit entry).
 */
export async function expireProvisionRecords(
  vault: Pick<Vault<AnyPolicy>, 'records'>,
  opts: { readonly now: Date; readonly actor: string },
): Promise<{ readonly expired: readonly string[] }> {
  if (typeof opts !== 'object' || opts === null || !(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) {
    throw new InvalidArgumentError('options.now', 'must be a valid Date');
  }
  assertStoredText(opts.actor, 'options.actor', 200, 'a non-empty string naming who runs the sweep');
  const limit = opts.now.getTime();
  const all = await vault.records.list(PROVISION_RECORD_KIND);
  const parsed = parseProvisionRows(all);
  const until = effectiveKeepUntil(parsed); // PPC Rules Art. 21: some periods run from the last provision
  const due = parsed.filter((r) => Date.parse(until.get(r.id) ?? r.keepUntil) <= limit);
  const expired: string[] = [];
  for (const r of due) {
    const removed = await vault.records.transaction(undefined, async (tx) => {
      if (!(await tx.deleteRecord(PROVISION_RECORD_KIND, r.id))) return false;
      await tx.appendAudit({
        at: opts.now.toISOString(),
        action: 'provision.expire',
        actor: opts.actor,
        subject: r.subject,
        decision: 'record',
        details: { record: r.id, vendor: r.vendor, keepUntil: r.keepUntil },
      });
      return true;
    });
    if (removed) expired.push(r.id);
  }
  return Object.freeze({ expired: Object.freeze(expired) });
}
