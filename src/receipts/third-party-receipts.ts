/**
 * Confirmation and records on receiving personal data from a third party (第三者提供を受ける際の
 * 確認等, APPI Art. 30, PPC Rules Arts. 22-26): who provided it (name, address, representative),
 * how that provider obtained it, what was received, when, for whom. One record per person and
 * receipt, kept in the audit log (`receipt.record` on the subject, through the audit log's
 * append and query API only), so it is disclosable with the person's data (Art. 33(5)) and as
 * durable and tamper-evident as the log. The log keeps it beyond the 3 years Rules Art. 26 requires.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Localized } from '../i18n.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import { assertSubjectId } from '../policy/define-policy.js';
import { isStoredText } from '../util/stored-text.js';
import { orderedId } from '../vault/ordered-id.js';
import type { Vault } from '../vault/types.js';

/**
 * What the operator confirmed about the provider and the data (Art. 30(1), Rules Art. 24).
 *
 * @example
 * ```ts
 * const input: ReceiptInput = {
 *   subject, collectionPoint: 'partnerReferral', fields: ['name', 'email'], actor: 'staff:2',
 *   provider: { name: { en: 'Kyoto Learning Association', ja: '京都学習協会' }, address: { en: '1 Karasuma, Kyoto', ja: '京都市中京区烏丸1' }, representative: { en: 'Ichiro Tanaka, Chair', ja: '会長 田中一郎' } },
 *   acquisition: { en: 'Collected from its members with their consent to provide it to the Institute.', ja: '会員から、当研究所への提供について同意を得て取得したもの。' },
 * };
 * ```
 */
export interface ReceiptInput {
  readonly subject: string;
  /** A collection point of the policy with source `third-party`. */
  readonly collectionPoint: string;
  /** The fields received (of that collection point). */
  readonly fields: readonly string[];
  /** The provider (Art. 30(1)(i)): name, address and, for a body, its representative. */
  readonly provider: { readonly name: Localized; readonly address: Localized; readonly representative?: Localized };
  /** How the provider obtained the data (Art. 30(1)(ii)). */
  readonly acquisition: Localized;
  /** The provider gave it by opt-out (Art. 27(2)): the Commission's publication was checked (Rules Art. 24(1)(ii)). */
  readonly optOut?: boolean;
  /** The person's consent to the provision, where it was given (Rules Art. 24(1)(i)). */
  readonly consentConfirmed?: boolean;
  /** When it was received; default now. */
  readonly receivedAt?: string;
  readonly actor: string;
}

/**
 * One record of receipt.
 *
 * @example
 * ```ts
 * const r: ReceiptRecord = await receipts.record(input);
 * r.provider.name.ja; // '京都学習協会'
 * ```
 */
export interface ReceiptRecord extends Omit<ReceiptInput, 'receivedAt'> {
  readonly id: string;
  readonly receivedAt: string;
  readonly policyVersion: string;
}

/**
 * The receipts desk.
 *
 * @example
 * ```ts
 * const receipts = createReceipts({ vault });
 * await receipts.record(input);
 * await receipts.records(subject);
 * ```
 */
export interface Receipts {
  /** Check and record a receipt; audited on the subject. @throws InvalidArgumentError naming the field */
  record(input: ReceiptInput): Promise<ReceiptRecord>;
  /** A subject's receipt records, oldest first. */
  records(subject: string): Promise<readonly ReceiptRecord[]>;
}

function text(value: unknown, field: string, policy: AnyPolicy, required = true): Localized | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'object' || value === null) throw new InvalidArgumentError(field, `must be a text in ${policy.languages.join(' and ')}`);
  const out: Record<string, string> = {};
  for (const lang of policy.languages) {
    const t = (value as Record<string, unknown>)[lang];
    if (!isStoredText(t, 1000)) throw new InvalidArgumentError(`${field}.${lang}`, 'must be a non-empty text of at most 1000 characters');
    out[lang] = t;
  }
  return Object.freeze(out);
}

/**
 * Create the receipts desk over a vault.
 *
 * @param options - the vault; optionally a clock
 * @example
 * ```ts
 * const receipts = createReceipts({ vault });
 * ```
 */
export function createReceipts<Pol extends AnyPolicy>(options: { readonly vault: Vault<Pol>; readonly clock?: () => Date }): Receipts {
  if (typeof options !== 'object' || options === null || typeof options.vault !== 'object' || options.vault === null)
    throw new InvalidArgumentError('options.vault', 'must be a vault made by createVault()');
  const { vault } = options;
  const policy = vault.policy as AnyPolicy;
  const clock = options.clock ?? (() => new Date());
  return Object.freeze({
    async record(input: ReceiptInput): Promise<ReceiptRecord> {
      if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('input', 'must be an object');
      assertSubjectId(input.subject, 'input.subject');
      if (!isStoredText(input.actor, 200)) throw new InvalidArgumentError('input.actor', 'must name who records it');
      if (typeof input.collectionPoint !== 'string' || !(policy.collectionPointIds as readonly string[]).includes(input.collectionPoint))
        throw new InvalidArgumentError('input.collectionPoint', 'must be a collection point of the policy');
      const cp = policy.collectionPoint(input.collectionPoint);
      if (cp.source !== 'third-party')
        throw new InvalidArgumentError('input.collectionPoint', 'must have source "third-party" (APPI Art. 30 concerns data received from a third party)');
      if (!Array.isArray(input.fields) || input.fields.length === 0 || input.fields.some((f) => !(cp.fields as readonly string[]).includes(f)))
        throw new InvalidArgumentError('input.fields', 'must be a non-empty list of the fields this collection point receives');
      if (typeof input.provider !== 'object' || input.provider === null)
        throw new InvalidArgumentError('input.provider', 'must give the provider’s name, address and representative (APPI Art. 30(1)(i))');
      const provider = {
        name: text(input.provider.name, 'input.provider.name', policy) as Localized,
        address: text(input.provider.address, 'input.provider.address', policy) as Localized,
        ...(input.provider.representative !== undefined && { representative: text(input.provider.representative, 'input.provider.representative', policy) as Localized }),
      };
      const acquisition = text(input.acquisition, 'input.acquisition', policy) as Localized;
      const receivedAt = input.receivedAt === undefined ? clock().toISOString() : input.receivedAt;
      if (typeof receivedAt !== 'string' || Number.isNaN(Date.parse(receivedAt))) throw new InvalidArgumentError('input.receivedAt', 'must be an ISO 8601 instant');
      const record: ReceiptRecord = Object.freeze({
        id: orderedId(),
        subject: input.subject,
        collectionPoint: input.collectionPoint,
        fields: Object.freeze([...new Set(input.fields)]),
        provider: Object.freeze(provider),
        acquisition,
        ...(input.optOut !== undefined && { optOut: input.optOut === true }),
        ...(input.consentConfirmed !== undefined && { consentConfirmed: input.consentConfirmed === true }),
        receivedAt: new Date(receivedAt).toISOString(),
        actor: input.actor,
        policyVersion: policy.version,
      });
      await vault.audit.append({
        at: clock().toISOString(),
        action: 'receipt.record',
        actor: input.actor,
        subject: input.subject,
        decision: 'record',
        basis: 'appi:Art. 30',
        details: { receipt: record.id, collectionPoint: record.collectionPoint, fields: record.fields.join(','), doc: JSON.stringify(record) },
      });
      return record;
    },
    async records(subject: string): Promise<readonly ReceiptRecord[]> {
      assertSubjectId(subject, 'subject');
      const entries = await vault.audit.entries({ subject, action: 'receipt.record' });
      return Object.freeze(entries.map((e) => Object.freeze(JSON.parse(String(e.details?.doc)) as ReceiptRecord)));
    },
  });
}
