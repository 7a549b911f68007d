/**
 * The data-subject request (本人からの請求等) model: one record shape for every kind of request
 * APPI gives the person, its states, and who moved it when.
 *
 * @module
 */
import type { Localized } from '../i18n.js';

/**
 * Every kind of request, with the APPI article it rests on:
 * - `disclosure`: disclosure of retained personal data (開示, Art. 33(1)).
 * - `provision-records`: disclosure of the records of provision to third parties (Art. 33(5)).
 * - `correction` / `addition` / `deletion`: 訂正、追加又は削除 (Art. 34).
 * - `suspension`: suspension of use (利用の停止, Art. 35), for all or listed purposes.
 * - `erasure`: erasure (消去, Art. 35); crypto-shreds the subject.
 * - `lift-suspension`: the person asks to lift a suspension they asked for.
 * - `purposes-notification`: notification of the purposes of use of their retained personal
 *   data (利用目的の通知, Art. 32(2)).
 * - `stop-provision`: stopping provision to third parties (第三者への提供の停止, Art. 35(3),
 *   and on the 2020 grounds, 35(5)); `provide()` then refuses third parties and recipients abroad.
 *
 * @example
 * ```ts
 * for (const kind of REQUEST_KINDS) console.log(kind, REQUEST_ARTICLES[kind]);
 * ```
 */
export const REQUEST_KINDS = Object.freeze([
  'disclosure',
  'provision-records',
  'correction',
  'addition',
  'deletion',
  'suspension',
  'erasure',
  'lift-suspension',
  'purposes-notification',
  'stop-provision',
] as const);

/**
 * A kind of data-subject request.
 *
 * @example
 * ```ts
 * const kind: RequestKind = 'disclosure';
 * ```
 */
export type RequestKind = (typeof REQUEST_KINDS)[number];

/**
 * The APPI article of each request kind.
 *
 * @example
 * ```ts
 * REQUEST_ARTICLES['provision-records']; // 'Art. 33(5)'
 * ```
 */
export const REQUEST_ARTICLES: Readonly<Record<RequestKind, string>> = Object.freeze({
  disclosure: 'Art. 33(1)',
  'provision-records': 'Art. 33(5)',
  correction: 'Art. 34(1)',
  addition: 'Art. 34(1)',
  deletion: 'Art. 34(1)',
  suspension: 'Art. 35(1)',
  erasure: 'Art. 35(1)',
  'lift-suspension': 'Art. 35',
  'purposes-notification': 'Art. 32(2)',
  'stop-provision': 'Art. 35(3)',
});

/**
 * The ground of a request for suspension of use, erasure or stopping provision (APPI Art. 35):
 * - `improper-handling`: handled beyond the purposes or inappropriately used, or acquired
 *   wrongfully (Arts. 18, 19, 20; 35(1));
 * - `improper-provision`: provided to a third party without consent or abroad in breach of
 *   Art. 28 (Arts. 27(1), 28; 35(3));
 * - `no-longer-needed`, `breach`, `rights-harmed`: no longer needed by the operator, a
 *   reportable leakage occurred, or the handling may otherwise harm the person's rights or
 *   legitimate interests (the 2020 grounds, 35(5)).
 *
 * @example
 * ```ts
 * import { SUSPENSION_GROUNDS } from 'purpose-bound';
 *
 * SUSPENSION_GROUNDS.includes('no-longer-needed'); // true
 * ```
 */
export const SUSPENSION_GROUNDS = Object.freeze(['improper-handling', 'improper-provision', 'no-longer-needed', 'breach', 'rights-harmed'] as const);

/**
 * One of {@link SUSPENSION_GROUNDS}.
 *
 * @example
 * ```ts
 * const ground: SuspensionGround = 'breach';
 * ```
 */
export type SuspensionGround = (typeof SUSPENSION_GROUNDS)[number];

/**
 * The paragraph of Art. 35 each ground rests on.
 *
 * @example
 * ```ts
 * SUSPENSION_GROUND_ARTICLES['rights-harmed']; // 'Art. 35(5)'
 * ```
 */
export const SUSPENSION_GROUND_ARTICLES: Readonly<Record<SuspensionGround, string>> = Object.freeze({
  'improper-handling': 'Art. 35(1)',
  'improper-provision': 'Art. 35(3)',
  'no-longer-needed': 'Art. 35(5)',
  breach: 'Art. 35(5)',
  'rights-harmed': 'Art. 35(5)',
});

/**
 * A request made by an agent for the person (代理人, APPI Art. 37(3), Cabinet Order Art. 11):
 * a legal representative of a minor or an adult ward, or an agent the person appointed.
 * The agent's authority must be confirmed (`desk.confirmAgent`) before the request is answered.
 *
 * @example
 * ```ts
 * const agent: RequestAgent = { kind: 'appointed' };
 * ```
 */
export interface RequestAgent {
  readonly kind: 'legal-representative' | 'appointed';
  /** Set by `desk.confirmAgent`: how the authority was checked (e.g. `power-of-attorney`), when, by whom. */
  readonly confirmed?: { readonly document: string; readonly at: string; readonly actor: string; readonly reference?: string };
}

/**
 * Request states, in order: `received` → `identity-verified` → `in-progress` → `completed`, or
 * `rejected` from any state before completion.
 *
 * @example
 * ```ts
 * REQUEST_STATES[0]; // 'received'
 * ```
 */
export const REQUEST_STATES = Object.freeze(['received', 'identity-verified', 'in-progress', 'completed', 'rejected'] as const);

/**
 * A state of a data-subject request.
 *
 * @example
 * ```ts
 * const open: RequestState[] = ['received', 'identity-verified', 'in-progress'];
 * ```
 */
export type RequestState = (typeof REQUEST_STATES)[number];

/**
 * One move of a request from one state to the next: who moved it and when.
 *
 * @example
 * ```ts
 * const t: RequestTransition = { from: 'received', to: 'identity-verified', at: '2026-01-10T00:00:00.000Z', actor: 'desk:1' };
 * ```
 */
export interface RequestTransition {
  /** `null` for the first entry (the request was received). */
  readonly from: RequestState | null;
  readonly to: RequestState;
  readonly at: string;
  readonly actor: string;
}

/**
 * Why a request was refused, as a stable code (the explanation to the person is free text, Art. 36):
 * - `identity-not-verified`: the person's identity could not be confirmed (Art. 37).
 * - `harm-to-person-or-others`: disclosure could harm the life, body, property or other rights
 *   of the person or a third party (Art. 33(2)(i)).
 * - `business-interference`: disclosure would seriously interfere with the operator's business (Art. 33(2)(ii)).
 * - `violates-other-law`: disclosure would violate another law (Art. 33(2)(iii)).
 * - `content-accurate`: the data is not untrue, so there is nothing to correct (Art. 34(1)).
 * - `requirements-not-met`: the statutory grounds for suspension or erasure are not met (Art. 35).
 * - `no-data-held`: no retained personal data matches the request.
 * - `withdrawn`: the person withdrew the request.
 * - `other`: explained in the text.
 *
 * @example
 * ```ts
 * REJECTION_REASONS.includes('content-accurate'); // true
 * ```
 */
export const REJECTION_REASONS = Object.freeze([
  'identity-not-verified',
  'harm-to-person-or-others',
  'business-interference',
  'violates-other-law',
  'content-accurate',
  'requirements-not-met',
  'no-data-held',
  'withdrawn',
  'other',
] as const);

/**
 * A rejection reason code.
 *
 * @example
 * ```ts
 * const reason: RejectionReason = 'content-accurate';
 * ```
 */
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * A refusal, with the explanation owed to the person (理由の説明, Art. 36).
 *
 * @example
 * ```ts
 * const r: RequestRejection = { reason: 'content-accurate', explanation: { en: 'The address we hold is correct.' }, at: '2026-01-10T00:00:00.000Z', actor: 'dpo' };
 * ```
 */
export interface RequestRejection {
  readonly reason: RejectionReason;
  /** What the person is told, in one or more languages. Never a personal value. */
  readonly explanation: Localized;
  readonly at: string;
  readonly actor: string;
}

/**
 * How the person's identity was confirmed (本人確認, Art. 37). The evidence itself is never stored.
 *
 * @example
 * ```ts
 * const check: IdentityCheck = { method: 'email-one-time-code', at: '2026-01-10T00:00:00.000Z', actor: 'desk:1', reference: 'otp:8812' };
 * ```
 */
export interface IdentityCheck {
  /** The verifier's method, e.g. `authenticated-session`, `photo-id-at-counter`. */
  readonly method: string;
  readonly at: string;
  readonly actor: string;
  /** An id the verifier returned (a ticket, a session id); never a document number. */
  readonly reference?: string;
}

/**
 * Alternative measures (代わるべき措置, Art. 35(2)/(4) proviso) taken where suspension of use or
 * erasure would cost too much or is otherwise difficult and the operator protects the person's
 * rights in another way.
 *
 * @example
 * ```ts
 * const m: AlternativeMeasures = { description: { en: 'Excluded from mailings.' }, reason: { en: 'Suspension would stop the contract.' }, at: '2026-01-10T00:00:00.000Z', actor: 'dpo' };
 * ```
 */
export interface AlternativeMeasures {
  /** What was done instead, as told to the person. */
  readonly description: Localized;
  /** Why the requested measure was not taken. */
  readonly reason: Localized;
  readonly at: string;
  readonly actor: string;
}

/**
 * What a completed request did (ids and counts only).
 *
 * @example
 * ```ts
 * const outcome: RequestOutcome = { changed: [{ field: 'email', change: 'correction' }] };
 * ```
 */
export interface RequestOutcome {
  /** Disclosure: the fields disclosed, and how many audit entries, provision records... */
  readonly disclosed?: { readonly values: number; readonly provisionRecords: number; readonly auditEntries: number; readonly erased: boolean };
  /** Correction, addition, deletion: the fields changed and their history ids. */
  readonly changed?: readonly { readonly field: string; readonly change: 'correction' | 'addition' | 'deletion' }[];
  /** Suspension: the suspension record created. */
  readonly suspensionId?: string;
  /** Lift: the suspensions lifted. */
  readonly liftedSuspensionIds?: readonly string[];
  /** Erasure: when. */
  readonly erasedAt?: string;
  /** Purposes-notification: the purposes notified (Art. 32(2)). */
  readonly purposesNotified?: readonly string[];
  /** Stop-provision: the provision stop recorded. */
  readonly provisionStopped?: { readonly vendors: 'all' | readonly string[] };
  /**
   * Disclosure: the method used; where it is not the one asked for, the reason told to the
   * person (Art. 33(3)).
   */
  readonly disclosureMethod?: { readonly requested?: string; readonly used: string; readonly reason?: Localized };
  /** Suspension or erasure refused for cost, with other measures taken instead. */
  readonly alternativeMeasures?: AlternativeMeasures;
}

/**
 * A data-subject request as stored. It holds ids, codes, times and the texts addressed to the
 * person; never a personal value (a correction's new value is given when the request is
 * executed, not stored on the request).
 *
 * @example
 * ```ts
 * const r: DataSubjectRequest = await desk.receive({ kind: 'disclosure', subject: 's1', actor: 'desk:1' });
 * r.state; // 'received'
 * r.dueAt; // 14 days later by default
 * ```
 */
export interface DataSubjectRequest {
  readonly id: string;
  readonly kind: RequestKind;
  readonly subject: string;
  readonly state: RequestState;
  readonly receivedAt: string;
  /** When the answer is due. */
  readonly dueAt: string;
  /** How it arrived: `web-form`, `post`, `counter`, `email`... */
  readonly channel?: string;
  /** Your own ticket number. */
  readonly reference?: string;
  /** Correction / addition / deletion: the fields concerned. */
  readonly fields?: readonly string[];
  /** Suspension: `'all'` or the purposes concerned. */
  readonly purposes?: 'all' | readonly string[];
  /** Lift-suspension: the suspensions to lift (default: every active one). */
  readonly suspensionIds?: readonly string[];
  /** Every state change, oldest first. */
  readonly transitions: readonly RequestTransition[];
  /** Failed identity checks (method and reason code only). */
  readonly identityAttempts: readonly { readonly at: string; readonly method: string; readonly reason: string }[];
  readonly identity?: IdentityCheck;
  readonly rejection?: RequestRejection;
  readonly outcome?: RequestOutcome;
  /** Suspension, erasure, stop-provision: the ground the person gives (Art. 35(1), (3), (5)). */
  readonly ground?: SuspensionGround;
  /** Stop-provision: the recipients (vendor ids) or `'all'` third parties. */
  readonly vendors?: 'all' | readonly string[];
  /** Made by an agent (Art. 37(3)). */
  readonly agent?: RequestAgent;
  /** Disclosure: the method the person asked for (Art. 33(1)). */
  readonly disclosureMethod?: string;
  /** A fee due under the policy (Art. 38): amount in yen, and when it was paid or waived. */
  readonly fee?: { readonly amountJpy: number; readonly paidAt?: string; readonly waived?: boolean };
  /** Set when the due date was extended, with why. */
  readonly extension?: { readonly from: string; readonly reason: Localized; readonly at: string; readonly actor: string };
}

/**
 * States in which a request is still open.
 *
 * @example
 * ```ts
 * OPEN_STATES.has(request.state); // true while received, identity-verified or in-progress
 * ```
 */
export const OPEN_STATES: ReadonlySet<RequestState> = new Set<RequestState>(['received', 'identity-verified', 'in-progress']);
