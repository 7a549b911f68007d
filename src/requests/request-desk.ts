/**
 * `createRequestDesk`: the data-subject request workflow (APPI Art. 33–37) over a vault. Put
 * it behind your request forms and staff screens: receive a request, verify the person's
 * identity with your verifier, then disclose, correct, delete, suspend, lift or erase, or
 * reject with the explanation owed to the person. Every request and every move is audited
 * (ids and codes only) and stored through the adapter, so it works on every adapter.
 *
 * @module
 */
import type { AuditEntryInput } from '../audit/audit-entry.js';
import { InvalidArgumentError, SubjectErasedError, SubjectNotFoundError, UnknownPurposeError } from '../errors.js';
import { assertOptionalStoredText, assertStoredText } from '../util/stored-text.js';
import type { Localized } from '../i18n.js';
import { assertSubjectId, type AnyPolicy, type FieldIdOf, type FieldsOf, type PurposeIdOf } from '../policy/define-policy.js';
import type { FieldInput } from '../policy/types.js';
import type { RecordTransaction } from '../vault/records.js';
import { retryOnConflict } from '../util/retry-on-conflict.js';
import { SubjectAlreadyErasedError } from '../errors.js';
import { orderedId } from '../vault/ordered-id.js';
import type { Vault } from '../vault/types.js';
import { buildDisclosure, type Disclosure } from './disclosure.js';
import type { Checkpointer } from '../audit/checkpointer.js';
import { dueDatePlan, isOverdue, type DueDates } from './due-dates.js';
import { IdentityNotVerifiedError, RequestKindError, RequestStateError } from '../errors.js';
import type { IdentityVerifier } from './identity-verifier.js';
import { loadRequest, OPEN_REQUEST_KIND, parseRequest, parseStoredRequest, REQUEST_KIND, saveRequest } from './request-store.js';
import {
  REJECTION_REASONS,
  REQUEST_ARTICLES,
  REQUEST_KINDS,
  type AlternativeMeasures,
  type DataSubjectRequest,
  type RejectionReason,
  type RequestKind,
  type RequestOutcome,
  type RequestState,
  SUSPENSION_GROUNDS,
  SUSPENSION_GROUND_ARTICLES,
  type RequestAgent,
  type SuspensionGround,
} from './request.js';
import { applyTransition } from './state-machine.js';
import { DISCLOSURE_METHODS, type DisclosureMethod, type RetainedDataSpec } from '../policy/retained-data-spec.js';
import { recordProvisionStop } from '../provision/provision-stops.js';
import { addDuration } from '../util/duration.js';

/**
 * Options of {@link createRequestDesk}.
 *
 * @example
 * ```ts
 * const options: RequestDeskOptions<typeof policy, { code: string }> = { vault, verifier: otpVerifier, dueIn: 'P14D' };
 * ```
 */
export interface RequestDeskOptions<Pol extends AnyPolicy, Evidence> {
  readonly vault: Vault<Pol>;
  /** How the person's identity is verified (本人確認, Art. 37). Required. */
  readonly verifier: IdentityVerifier<Evidence>;
  /** Time to answer: one ISO 8601 duration or per kind. Default `P14D`. */
  readonly dueIn?: DueDates;
  /** Default `() => new Date()`. Use the vault's clock for consistent times. */
  readonly clock?: () => Date;
  /**
   * Sign a checkpoint for each disclosure and add inclusion proofs of its audit entries
   * (`disclosure.auditProof`). Default: none (the disclosure lists the entries without proofs).
   */
  readonly checkpoints?: Checkpointer;
  /**
   * How far `extendDue` may move a due date. `gdpr` (default): by at most two further months,
   * decided within one month of receipt (GDPR Art. 12(3)). `none`: no cap (APPI alone sets
   * none; answer without delay).
   */
  readonly extensionCap?: 'gdpr' | 'none';
}

/**
 * Input of `desk.receive`.
 *
 * @example
 * ```ts
 * await desk.receive({ kind: 'suspension', subject, actor: 'subject', purposes: ['newsletter'], channel: 'web-form' });
 * ```
 */
export interface ReceiveInput<Pol extends AnyPolicy> {
  readonly kind: RequestKind;
  /** The subject the request is about (the person claims to be them until verified). */
  readonly subject: string;
  /** Who records the request: `subject` for self-service, a staff id at the desk. */
  readonly actor: string;
  readonly channel?: string;
  /** Your ticket number. */
  readonly reference?: string;
  /** Correction, addition, deletion: the fields concerned (required). */
  readonly fields?: readonly FieldIdOf<Pol>[];
  /** Suspension: `'all'` (default) or purposes. */
  readonly purposes?: 'all' | readonly PurposeIdOf<Pol>[];
  /** Lift-suspension: which suspensions; default every active one. */
  readonly suspensionIds?: readonly string[];
  /** Suspension, erasure, stop-provision: the ground the person gives (Art. 35(1), (3), (5)). */
  readonly ground?: SuspensionGround;
  /** Stop-provision: `'all'` (default) or the vendor ids (third parties or recipients abroad). */
  readonly vendors?: 'all' | readonly string[];
  /** The request is made by an agent (Art. 37(3)); confirm the authority with `confirmAgent`. */
  readonly agent?: { readonly kind: RequestAgent['kind'] };
  /** Disclosure, provision-records: the method the person asks for (Art. 33(1)); one the policy offers. */
  readonly disclosureMethod?: DisclosureMethod;
  /** `waived`: no fee for this request although the policy charges one (e.g. requests through the website). */
  readonly fee?: 'waived';
}

/**
 * Who acts.
 *
 * @example
 * ```ts
 * await desk.start(requestId, { actor: 'dpo:1' } satisfies ActorInput);
 * ```
 */
export interface ActorInput {
  readonly actor: string;
}

/**
 * Input of `desk.reject`.
 *
 * @example
 * ```ts
 * await desk.reject(requestId, { actor: 'dpo', reason: 'content-accurate', explanation: { en: 'The address we hold is correct.', ja: '保有している住所は正確です。' } });
 * ```
 */
export interface RejectInput extends ActorInput {
  readonly reason: RejectionReason;
  /** The explanation owed to the person (Art. 36), in the languages you answer in. Never a personal value. */
  readonly explanation: Localized;
}

/**
 * Input of `desk.correct` (correction or addition).
 *
 * @example
 * ```ts
 * await desk.correct(requestId, { actor: 'dpo:1', values: { email: 'new@example.jp' }, reason: 'the person moved' });
 * ```
 */
export type CorrectInput<Pol extends AnyPolicy> = ActorInput & {
  /** New values by field; each field must be among the request's fields. Validated before anything changes. */
  readonly values: { readonly [K in FieldIdOf<Pol>]?: FieldInput<FieldsOf<Pol>, K> };
  /** Why, for the history. Default: the request kind and id. Never a value. */
  readonly reason?: string;
};

/**
 * The data-subject request desk.
 *
 * @example
 * ```ts
 * const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier() });
 * const r = await desk.receive({ kind: 'disclosure', subject, actor: 'subject', channel: 'web-form' });
 * await desk.verifyIdentity(r.id, { actor: 'web', evidence: { authenticatedSubject: subject } });
 * const disclosure = await desk.disclose(r.id, { actor: 'dpo' });
 * const html = renderDisclosure(disclosure, { lang: 'ja', format: 'html' });
 * ```
 */
export interface RequestDesk<Pol extends AnyPolicy, Evidence> {
  /**
   * Record a new request (state `received`, due per `dueIn`), audited.
   * @throws SubjectNotFoundError, InvalidArgumentError, UnknownFieldError, UnknownPurposeError
   */
  receive(input: ReceiveInput<Pol>): Promise<DataSubjectRequest>;
  /** @throws RequestNotFoundError */
  get(id: string): Promise<DataSubjectRequest>;
  /** Requests, oldest first, optionally of one subject and/or in some states. */
  list(filter?: { readonly subject?: string; readonly states?: readonly RequestState[] }): Promise<readonly DataSubjectRequest[]>;
  /** Open requests past their due date at `now` (default: the clock), earliest due first. */
  overdue(options?: { readonly now?: Date }): Promise<readonly DataSubjectRequest[]>;
  /**
   * Run the verifier. Passing moves the request to `identity-verified`; failing records the
   * attempt (method and reason code), keeps it `received`, and throws.
   * @throws IdentityNotVerifiedError when the verifier refuses; RequestStateError unless `received`
   */
  verifyIdentity(id: string, input: ActorInput & { readonly evidence: Evidence }): Promise<DataSubjectRequest>;
  /** Mark work as started (`in-progress`). @throws IdentityNotVerifiedError, RequestStateError */
  start(id: string, input: ActorInput): Promise<DataSubjectRequest>;
  /** Refuse, with the reason code and the explanation owed to the person. @throws RequestStateError */
  reject(id: string, input: RejectInput): Promise<DataSubjectRequest>;
  /** Move the due date later, with the reason told to the person. @throws RequestStateError, InvalidArgumentError */
  extendDue(id: string, input: ActorInput & { readonly until: Date; readonly reason: Localized }): Promise<DataSubjectRequest>;
  /**
   * Answer a `disclosure` or `provision-records` request: gather, audit each disclosed field,
   * complete the request, and only then return the disclosure.
   * @throws IdentityNotVerifiedError, RequestStateError, RequestKindError
   */
  disclose(id: string, input: ActorInput & { readonly method?: DisclosureMethod; readonly methodReason?: Localized }): Promise<Disclosure>;
  /**
   * Answer a `correction` or `addition` request: validate every value by its field's schema
   * first, then change them (history kept), then complete.
   * @throws InvalidPersonalValueError (nothing changed), IdentityNotVerifiedError, RequestStateError, RequestKindError, SubjectErasedError
   */
  correct(id: string, input: CorrectInput<Pol>): Promise<DataSubjectRequest>;
  /** Answer a `deletion` request: delete the request's fields (default) or the listed subset. */
  deleteValues(id: string, input: ActorInput & { readonly fields?: readonly FieldIdOf<Pol>[] }): Promise<DataSubjectRequest>;
  /** Answer a `suspension` request through `guard.suspend`. */
  suspend(id: string, input: ActorInput & { readonly reason?: string }): Promise<DataSubjectRequest>;
  /** Answer a `lift-suspension` request through `guard.liftSuspension`. */
  liftSuspension(id: string, input: ActorInput): Promise<DataSubjectRequest>;
  /**
   * Answer an `erasure` request: crypto-shred the subject, tombstone referencing the request.
   * @throws SubjectAlreadyErasedError (ALREADY_ERASED) when the subject was erased before (nothing changes)
   */
  erase(id: string, input: ActorInput): Promise<DataSubjectRequest>;
  /**
   * Complete a `suspension` or `erasure` request with alternative measures (代わるべき措置) where
   * the requested measure would cost too much or is otherwise difficult (Art. 35(2)/(4)).
   */
  recordAlternativeMeasures(id: string, input: ActorInput & { readonly description: Localized; readonly reason: Localized }): Promise<DataSubjectRequest>;
  /** Confirm the authority of the agent who made the request (Art. 37(3)): the document checked. Audited. */
  confirmAgent(id: string, input: ActorInput & { readonly document: string; readonly reference?: string }): Promise<DataSubjectRequest>;
  /** Record that the fee of the request was paid (Art. 38). Audited. */
  recordFeePaid(id: string, input: ActorInput & { readonly method: string }): Promise<DataSubjectRequest>;
  /** Answer a `purposes-notification` request (Art. 32(2)): the purposes of use of the person's retained data; completes it. */
  notifyPurposes(id: string, input: ActorInput): Promise<DataSubjectRequest>;
  /** Answer a `stop-provision` request (Art. 35(3)/(5)): `provide()` refuses the recipients from now on; completes it. */
  stopProvision(id: string, input: ActorInput): Promise<DataSubjectRequest>;
}

function assertActor(input: unknown, argument = 'input'): string {
  if (typeof input !== 'object' || input === null) throw new InvalidArgumentError(argument, 'must be an object');
  const actor = (input as { actor?: unknown }).actor;
  assertStoredText(actor, `${argument}.actor`, 200, 'a non-empty string naming who acts');
  return actor;
}

function assertShortText(value: unknown, argument: string, max = 200): string | undefined {
  assertOptionalStoredText(value, argument, max);
  return value;
}

function assertLocalized(value: unknown, argument: string): Localized {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError(argument, 'must be localised text such as { en: "...", ja: "..." }');
  const out: Record<string, string> = {};
  for (const [lang, text] of Object.entries(value)) {
    if (lang !== 'en' && lang !== 'ja') throw new InvalidArgumentError(argument, 'may hold only en and ja texts');
    assertStoredText(text, `${argument}.${lang}`, 5000, 'a non-empty text');
    out[lang] = text;
  }
  if (Object.keys(out).length === 0) throw new InvalidArgumentError(argument, 'must hold at least one language');
  return Object.freeze(out);
}

/**
 * Create the data-subject request desk over a vault.
 *
 * @param options - the vault, the identity verifier, due dates and a clock
 * @throws InvalidArgumentError when the vault or verifier is missing or a due date is not ISO 8601
 * @example
 * ```ts
 * import { createRequestDesk, authenticatedSubjectVerifier } from 'purpose-bound';
 * const desk = createRequestDesk({ vault, verifier: authenticatedSubjectVerifier(), dueIn: { default: 'P14D', erasure: 'P7D' } });
 * ```
 */
export function createRequestDesk<Pol extends AnyPolicy, Evidence>(options: RequestDeskOptions<Pol, Evidence>): RequestDesk<Pol, Evidence> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object with vault and verifier');
  const { vault, verifier } = options;
  if (typeof vault !== 'object' || vault === null || typeof vault.records?.transaction !== 'function')
    throw new InvalidArgumentError('options.vault', 'must be a vault made by createVault()');
  if (typeof verifier !== 'object' || verifier === null || typeof verifier.verify !== 'function') {
    throw new InvalidArgumentError('options.verifier', 'must be an IdentityVerifier: identity verification (APPI Art. 37) is required');
  }
  const method = assertShortText(verifier.method, 'options.verifier.method', 100) as string;
  if (options.clock !== undefined && typeof options.clock !== 'function') throw new InvalidArgumentError('options.clock', 'must be a function returning a Date');
  const clock = options.clock ?? (() => new Date());
  const due = dueDatePlan(options.dueIn);
  const policy = vault.policy as AnyPolicy;

  function entry(request: DataSubjectRequest, action: string, actor: string, at: string, extra: Partial<AuditEntryInput> = {}): AuditEntryInput {
    return {
      at,
      action,
      actor,
      subject: request.subject,
      decision: 'record',
      reference: request.id,
      ...extra,
      details: { request: request.id, kind: request.kind, state: request.state, ...(extra.details ?? {}) },
    };
  }

  /**
   * Load, lock the subject, re-load, change, save and audit in one transaction. `change`
   * returns the new request and any further audit entries (ids and codes only).
   */
  function mutate(
    id: string,
    change: (request: DataSubjectRequest, at: string, tx: RecordTransaction) => { request: DataSubjectRequest; audit: readonly AuditEntryInput[] },
  ): Promise<DataSubjectRequest> {
    if (typeof id !== 'string' || id === '' || id.length > 200) throw new InvalidArgumentError('id', 'must be a request id');
    return (async () => {
      const first = parseStoredRequest(id, await vault.records.get(REQUEST_KIND, id));
      // Under the subject's lock: the request is read again, changed, saved and audited at once.
      return vault.records.transaction(first.subject, async (tx) => {
        const current = await loadRequest(tx, id);
        const at = clock().toISOString();
        const { request, audit } = change(current, at, tx);
        await saveRequest(tx, request);
        for (const e of audit) await tx.appendAudit(e);
        return request;
      });
    })();
  }

  function transitionEntry(
    before: DataSubjectRequest,
    after: DataSubjectRequest,
    action: string,
    actor: string,
    at: string,
    extra: Partial<AuditEntryInput> = {},
  ): AuditEntryInput {
    return entry(after, action, actor, at, { ...extra, details: { from: before.state, ...(extra.details ?? {}) } });
  }

  function expectKind(request: DataSubjectRequest, kinds: readonly RequestKind[]): void {
    if (!kinds.includes(request.kind)) throw new RequestKindError(request.id, request.kind, kinds);
  }

  /** The person must be verified (and the request still open) before anything about the request is examined. */
  function expectAnswerable(request: DataSubjectRequest): void {
    if (request.state === 'received') throw new IdentityNotVerifiedError(request.id);
    if (request.state !== 'identity-verified' && request.state !== 'in-progress') {
      throw new RequestStateError(request.id, request.state, `answer the ${request.kind} request`);
    }
    // Art. 37(3): an agent's authority is confirmed before anything is answered.
    if (request.agent !== undefined && request.agent.confirmed === undefined) throw new IdentityNotVerifiedError(request.id, 'agent-authority-not-confirmed');
    // Art. 38: a fee the policy charges is paid (or waived) before the answer.
    if (request.fee !== undefined && request.fee.paidAt === undefined && request.fee.waived !== true) {
      throw new RequestStateError(request.id, request.state, `answer the ${request.kind} request`, 'its fee (APPI Art. 38) is not paid yet; record it with recordFeePaid');
    }
  }

  /**
   * Before executing: the request must be of a kind this operation answers and its person
   * verified. Moves `identity-verified` to `in-progress` (audited); `in-progress` continues (a
   * retry after a failure). Returns the request as now stored.
   */
  async function begin(id: string, kinds: readonly RequestKind[], actor: string, precheck?: (r: DataSubjectRequest) => Promise<void>): Promise<DataSubjectRequest> {
    const request = await desk.get(id);
    expectKind(request, kinds);
    expectAnswerable(request);
    if (precheck) await precheck(request);
    if (request.state === 'in-progress') return request;
    return mutate(id, (r, at) => {
      expectKind(r, kinds);
      const next = applyTransition(r, 'in-progress', { actor, at });
      return { request: next, audit: [transitionEntry(r, next, 'request.start', actor, at)] };
    });
  }

  /** Complete an in-progress request with its outcome (audited), in one transaction with `extraAudit`. */
  function finish(
    id: string,
    actor: string,
    outcome: RequestOutcome,
    extraAudit: (r: DataSubjectRequest, at: string) => readonly AuditEntryInput[] = () => [],
  ): Promise<DataSubjectRequest> {
    return mutate(id, (r, at) => {
      if (r.state !== 'in-progress') throw new RequestStateError(id, r.state, 'complete it', 'another operation moved it first');
      const next = Object.freeze({ ...applyTransition(r, 'completed', { actor, at }), outcome: Object.freeze(outcome) });
      return { request: next, audit: [...extraAudit(next, at), transitionEntry(r, next, 'request.complete', actor, at)] };
    });
  }

  async function liveSubject(r: DataSubjectRequest): Promise<void> {
    const erasure = await vault.erasure(r.subject);
    if (erasure !== undefined) throw new SubjectErasedError(r.subject, erasure.erasedAt);
  }

  const desk: RequestDesk<Pol, Evidence> = {
    async receive(input) {
      const actor = assertActor(input);
      const kind = input.kind as unknown;
      if (typeof kind !== 'string' || !(REQUEST_KINDS as readonly string[]).includes(kind))
        throw new InvalidArgumentError('input.kind', `must be one of ${REQUEST_KINDS.join(', ')}`);
      const k = kind as RequestKind;
      assertSubjectId(input.subject, 'input.subject');
      const channel = assertShortText(input.channel, 'input.channel', 100);
      const reference = assertShortText(input.reference, 'input.reference');
      let fields: readonly string[] | undefined;
      if (k === 'correction' || k === 'addition' || k === 'deletion') {
        const given = input.fields as unknown;
        if (!Array.isArray(given) || given.length === 0) throw new InvalidArgumentError('input.fields', `must list the fields a ${k} request concerns`);
        for (const f of given) policy.field(f as string); // UnknownFieldError, naming the id safely
        fields = Object.freeze([...new Set(given as string[])]);
      } else if (input.fields !== undefined) throw new InvalidArgumentError('input.fields', `is only for correction, addition and deletion requests`);
      let purposes: 'all' | readonly string[] | undefined;
      if (k === 'suspension') {
        const given = (input.purposes ?? 'all') as unknown;
        if (given !== 'all') {
          if (!Array.isArray(given) || given.length === 0) throw new InvalidArgumentError('input.purposes', "must be 'all' or a non-empty array of purpose ids");
          for (const p of given) if (typeof p !== 'string' || !policy.hasPurpose(p)) throw new UnknownPurposeError(p as string, policy.id);
          purposes = Object.freeze([...new Set(given as string[])]);
        } else purposes = 'all';
      } else if (input.purposes !== undefined) throw new InvalidArgumentError('input.purposes', 'is only for suspension requests');
      let suspensionIds: readonly string[] | undefined;
      if (input.suspensionIds !== undefined) {
        if (k !== 'lift-suspension') throw new InvalidArgumentError('input.suspensionIds', 'is only for lift-suspension requests');
        const given = input.suspensionIds as unknown;
        if (!Array.isArray(given) || given.length === 0 || given.some((s) => typeof s !== 'string' || s === '' || s.length > 200)) {
          throw new InvalidArgumentError('input.suspensionIds', 'must be a non-empty array of suspension ids');
        }
        suspensionIds = Object.freeze([...new Set(given as string[])]);
      }
      let ground: SuspensionGround | undefined;
      if (input.ground !== undefined) {
        if (k !== 'suspension' && k !== 'erasure' && k !== 'stop-provision')
          throw new InvalidArgumentError('input.ground', 'is only for suspension, erasure and stop-provision requests');
        if (!(SUSPENSION_GROUNDS as readonly string[]).includes(input.ground)) throw new InvalidArgumentError('input.ground', `must be one of ${SUSPENSION_GROUNDS.join(', ')}`);
        if (k === 'stop-provision' && input.ground === 'improper-handling')
          throw new InvalidArgumentError('input.ground', 'a stop of provision rests on improper provision (Art. 35(3)) or the grounds of Art. 35(5)');
        if (k !== 'stop-provision' && input.ground === 'improper-provision')
          throw new InvalidArgumentError('input.ground', 'improper provision grounds a stop-provision request (Art. 35(3))');
        ground = input.ground;
      }
      let vendors: 'all' | readonly string[] | undefined;
      if (k === 'stop-provision') {
        const given = (input.vendors ?? 'all') as unknown;
        if (given === 'all') vendors = 'all';
        else {
          if (!Array.isArray(given) || given.length === 0) throw new InvalidArgumentError('input.vendors', "must be 'all' or a non-empty array of vendor ids");
          for (const v of given)
            if (typeof v !== 'string' || !(policy.vendorIds as readonly string[]).includes(v))
              throw new InvalidArgumentError('input.vendors', 'must hold vendor ids of the policy');
          vendors = Object.freeze([...new Set(given as string[])]);
        }
      } else if (input.vendors !== undefined) throw new InvalidArgumentError('input.vendors', 'is only for stop-provision requests');
      let agent: RequestAgent | undefined;
      if (input.agent !== undefined) {
        const kindOfAgent = (input.agent as { kind?: unknown } | null)?.kind;
        if (kindOfAgent !== 'legal-representative' && kindOfAgent !== 'appointed')
          throw new InvalidArgumentError('input.agent.kind', "must be 'legal-representative' or 'appointed'");
        agent = Object.freeze({ kind: kindOfAgent });
      }
      const retained = policy.spec.retainedData as RetainedDataSpec | undefined;
      let disclosureMethod: DisclosureMethod | undefined;
      if (input.disclosureMethod !== undefined) {
        if (k !== 'disclosure' && k !== 'provision-records') throw new InvalidArgumentError('input.disclosureMethod', 'is only for disclosure and provision-records requests');
        const offered: readonly string[] = retained?.requests.disclosureMethods ?? DISCLOSURE_METHODS;
        if (!offered.includes(input.disclosureMethod)) throw new InvalidArgumentError('input.disclosureMethod', `must be a method the policy offers: ${offered.join(', ')}`);
        disclosureMethod = input.disclosureMethod;
      }
      if (input.fee !== undefined && input.fee !== 'waived') throw new InvalidArgumentError('input.fee', "must be 'waived' when given");
      const feeKind = k === 'purposes-notification' || k === 'disclosure' || k === 'provision-records' ? k : undefined;
      const feeSpec = feeKind === undefined ? undefined : retained?.requests.fees.find((f) => f.request === feeKind);
      const waived = input.fee === 'waived' || (channel !== undefined && (feeSpec?.waivedChannels ?? []).includes(channel));
      const fee = feeSpec === undefined || feeSpec.amountJpy === 0 ? undefined : Object.freeze({ amountJpy: feeSpec.amountJpy, ...(waived && { waived: true }) });
      const now = clock();
      const at = now.toISOString();
      const request: DataSubjectRequest = Object.freeze({
        id: orderedId(),
        kind: k,
        subject: input.subject,
        state: 'received',
        receivedAt: at,
        dueAt: due.dueAt(k, now),
        ...(channel !== undefined && { channel }),
        ...(reference !== undefined && { reference }),
        ...(fields !== undefined && { fields }),
        ...(purposes !== undefined && { purposes }),
        ...(suspensionIds !== undefined && { suspensionIds }),
        ...(ground !== undefined && { ground }),
        ...(vendors !== undefined && { vendors }),
        ...(agent !== undefined && { agent }),
        ...(disclosureMethod !== undefined && { disclosureMethod }),
        ...(fee !== undefined && { fee }),
        transitions: Object.freeze([Object.freeze({ from: null, to: 'received' as const, at, actor })]),
        identityAttempts: Object.freeze([]),
      });
      // The subject must exist (vault.records.transaction refuses an unknown one).
      return vault.records.transaction(request.subject, async (tx) => {
        await saveRequest(tx, request);
        await tx.appendAudit(
          entry(request, 'request.receive', actor, at, {
            basis: `appi:${ground !== undefined ? SUSPENSION_GROUND_ARTICLES[ground] : REQUEST_ARTICLES[k]}`,
            details: {
              dueAt: request.dueAt,
              ...(agent !== undefined && { agent: agent.kind }),
              ...(fee !== undefined && { feeJpy: fee.amountJpy, feeWaived: fee.waived === true }),
            },
          }),
        );
        return request;
      });
    },

    async get(id) {
      if (typeof id !== 'string' || id === '' || id.length > 200) throw new InvalidArgumentError('id', 'must be a request id');
      return parseStoredRequest(id, await vault.records.get(REQUEST_KIND, id));
    },

    async list(filter = {}) {
      if (filter.subject !== undefined) assertSubjectId(filter.subject, 'filter.subject');
      const rows = await vault.records.list(REQUEST_KIND, filter.subject === undefined ? {} : { subject: filter.subject });
      const states = filter.states === undefined ? undefined : new Set(filter.states);
      return Object.freeze(rows.map(parseRequest).filter((r) => states === undefined || states.has(r.state)));
    },

    async overdue(opts = {}) {
      const now = opts.now ?? clock();
      if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new InvalidArgumentError('options.now', 'must be a valid Date');
      return vault.records.transaction(undefined, async (tx) => {
        const open = await tx.listRecords(OPEN_REQUEST_KIND);
        const out: DataSubjectRequest[] = [];
        for (const row of open) {
          const idx = JSON.parse(row.doc) as { dueAt?: unknown };
          if (typeof idx.dueAt === 'string' && Date.parse(idx.dueAt) >= now.getTime()) continue;
          const r = await loadRequest(tx, row.id);
          if (isOverdue(r, now)) out.push(r);
        }
        return Object.freeze(out.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt)));
      });
    },

    async verifyIdentity(id, input) {
      const actor = assertActor(input);
      const request = await desk.get(id);
      if (request.state !== 'received') throw new RequestStateError(id, request.state, 'verify identity', 'identity is verified once, while received');
      const now = clock();
      let verdict: Awaited<ReturnType<IdentityVerifier<Evidence>['verify']>>;
      try {
        verdict = await verifier.verify({ request, evidence: input.evidence, at: now });
      } catch {
        // The verifier's own error may carry the evidence: it is not passed on.
        verdict = { verified: false, reason: 'verifier-error' };
      }
      if (typeof verdict !== 'object' || verdict === null || verdict.verified !== true) {
        const raw = (verdict as { reason?: unknown } | null)?.reason;
        const reason = typeof raw === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/.test(raw) ? raw : 'not-verified';
        await mutate(id, (r, at) => {
          if (r.state !== 'received') throw new RequestStateError(id, r.state, 'verify identity');
          const next = Object.freeze({ ...r, identityAttempts: Object.freeze([...r.identityAttempts, Object.freeze({ at, method, reason })]) });
          return {
            request: next,
            audit: [entry(next, 'request.verify', actor, at, { decision: 'deny', reason: 'IDENTITY_NOT_VERIFIED', basis: method, details: { verdict: reason } })],
          };
        });
        throw new IdentityNotVerifiedError(id, reason);
      }
      const ref = typeof verdict.reference === 'string' && verdict.reference !== '' ? verdict.reference.slice(0, 200) : undefined;
      return mutate(id, (r, at) => {
        const next = Object.freeze({
          ...applyTransition(r, 'identity-verified', { actor, at }),
          identity: Object.freeze({ method, at, actor, ...(ref !== undefined && { reference: ref }) }),
        });
        return { request: next, audit: [transitionEntry(r, next, 'request.verify', actor, at, { decision: 'allow', basis: method })] };
      });
    },

    async start(id, input) {
      const actor = assertActor(input);
      return mutate(id, (r, at) => {
        const next = applyTransition(r, 'in-progress', { actor, at });
        return { request: next, audit: [transitionEntry(r, next, 'request.start', actor, at)] };
      });
    },

    async reject(id, input) {
      const actor = assertActor(input);
      if (!(REJECTION_REASONS as readonly string[]).includes(input.reason)) throw new InvalidArgumentError('input.reason', `must be one of ${REJECTION_REASONS.join(', ')}`);
      const explanation = assertLocalized(input.explanation, 'input.explanation');
      return mutate(id, (r, at) => {
        const next = Object.freeze({ ...applyTransition(r, 'rejected', { actor, at }), rejection: Object.freeze({ reason: input.reason, explanation, at, actor }) });
        return { request: next, audit: [transitionEntry(r, next, 'request.reject', actor, at, { reason: input.reason })] };
      });
    },

    async extendDue(id, input) {
      const actor = assertActor(input);
      if (!(input.until instanceof Date) || Number.isNaN(input.until.getTime())) throw new InvalidArgumentError('input.until', 'must be a valid Date');
      const reason = assertLocalized(input.reason, 'input.reason');
      return mutate(id, (r, at) => {
        if (r.state === 'completed' || r.state === 'rejected') throw new RequestStateError(id, r.state, 'extend its due date');
        if (input.until.getTime() <= Date.parse(r.dueAt)) throw new InvalidArgumentError('input.until', 'must be later than the current due date');
        if ((options.extensionCap ?? 'gdpr') === 'gdpr') {
          // GDPR Art. 12(3): one month, extendable by two further months; the person is told within the first month.
          const received = new Date(r.receivedAt);
          const firstMonth = addDuration(received, { years: 0, months: 1, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 });
          const cap = addDuration(received, { years: 0, months: 3, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 });
          if (Date.parse(at) > firstMonth.getTime())
            throw new InvalidArgumentError(
              'input.until',
              'cannot be set more than one month after the request was received (GDPR Art. 12(3)); use extensionCap: "none" where the GDPR does not apply',
            );
          if (input.until.getTime() > cap.getTime()) throw new InvalidArgumentError('input.until', 'must be at most two further months after the first month (GDPR Art. 12(3))');
        }
        const next = Object.freeze({ ...r, dueAt: input.until.toISOString(), extension: Object.freeze({ from: r.dueAt, reason, at, actor }) });
        return { request: next, audit: [entry(next, 'request.extend', actor, at, { details: { from: r.dueAt, dueAt: next.dueAt } })] };
      });
    },

    async disclose(id, input) {
      const actor = assertActor(input);
      const used = input.method;
      if (used !== undefined && !(DISCLOSURE_METHODS as readonly string[]).includes(used))
        throw new InvalidArgumentError('input.method', `must be one of ${DISCLOSURE_METHODS.join(', ')}`);
      const pre = await desk.get(id);
      const methodReason = input.methodReason === undefined ? undefined : assertLocalized(input.methodReason, 'input.methodReason');
      if (pre.disclosureMethod !== undefined && used !== undefined && used !== pre.disclosureMethod && methodReason === undefined) {
        throw new InvalidArgumentError('input.methodReason', 'is required when the method asked for is not used: the person must be told why (APPI Art. 33(3))');
      }
      const request = await begin(id, ['disclosure', 'provision-records'], actor);
      const scope = request.kind === 'provision-records' ? 'provision-records' : 'full';
      const disclosure = await buildDisclosure(vault as unknown as Vault<AnyPolicy>, request, scope, clock(), options.checkpoints);
      await finish(
        id,
        actor,
        {
          disclosed: {
            values: disclosure.values.length,
            provisionRecords: disclosure.provisions.length,
            auditEntries: disclosure.audit.length,
            erased: disclosure.erased !== null,
          },
          ...((used ?? request.disclosureMethod) !== undefined && {
            disclosureMethod: Object.freeze({
              ...(request.disclosureMethod !== undefined && { requested: request.disclosureMethod }),
              used: (used ?? request.disclosureMethod) as string,
              ...(methodReason !== undefined && { reason: methodReason }),
            }),
          }),
        },
        (r, at) => disclosure.values.map((v) => entry(r, 'disclose', actor, at, { field: v.field, basis: `appi:${REQUEST_ARTICLES[r.kind]}`, details: { state: 'in-progress' } })),
      );
      return disclosure;
    },

    async correct(id, input) {
      const actor = assertActor(input);
      const values = input.values as unknown;
      if (typeof values !== 'object' || values === null || Array.isArray(values) || Object.keys(values).length === 0) {
        throw new InvalidArgumentError('input.values', 'must be an object of new values by field id');
      }
      const reason = assertShortText(input.reason, 'input.reason', 500);
      const request = await desk.get(id);
      expectKind(request, ['correction', 'addition']);
      // Identity first: an unverified requester learns nothing, not even whether a value is valid.
      expectAnswerable(request);
      const allowed = new Set(request.fields ?? []);
      for (const f of Object.keys(values))
        if (!allowed.has(f)) throw new InvalidArgumentError('input.values', `field "${policy.hasField(f) ? f : '<unknown>'}" is not among the fields the request concerns`);
      // Validate every value before the request moves or anything changes.
      for (const [f, v] of Object.entries(values)) policy.wrap(f, v as never, { subject: request.subject });
      await begin(id, ['correction', 'addition'], actor, liveSubject);
      const why = reason ?? `${request.kind} request ${id} (APPI ${REQUEST_ARTICLES[request.kind]})`;
      const before = new Set(Object.keys(await vault.provenance(request.subject)));
      // All fields of the request change in one transaction: never half of a correction.
      await vault.correctMany(request.subject, values as never, { actor, reason: why, requestId: id });
      const changed = Object.keys(values).map((f) => ({ field: f, change: before.has(f) ? ('correction' as const) : ('addition' as const) }));
      return finish(id, actor, { changed });
    },

    async deleteValues(id, input) {
      const actor = assertActor(input);
      const request = await desk.get(id);
      expectKind(request, ['deletion']);
      const fields = (input.fields ?? request.fields ?? []) as readonly string[];
      const allowed = new Set(request.fields ?? []);
      if (!Array.isArray(fields) || fields.length === 0 || fields.some((f) => !allowed.has(f))) {
        throw new InvalidArgumentError('input.fields', 'must be a non-empty subset of the fields the request concerns');
      }
      await begin(id, ['deletion'], actor, liveSubject);
      const held = new Set(Object.keys(await vault.provenance(request.subject)));
      const changed: { field: string; change: 'deletion' }[] = [];
      for (const f of fields) {
        // A field already gone (deleted by an earlier, interrupted attempt) is not deleted twice.
        if (!held.has(f)) continue;
        await vault.deleteValue(request.subject, f as never, { actor, reason: `deletion request ${id} (APPI Art. 34(1))`, requestId: id });
        changed.push({ field: f, change: 'deletion' });
      }
      return finish(id, actor, { changed });
    },

    async suspend(id, input) {
      const actor = assertActor(input);
      const reason = assertShortText(input.reason, 'input.reason', 500);
      const request = await begin(id, ['suspension'], actor, liveSubject);
      const existing = (await vault.suspensions.list(request.subject)).find((s) => s.requestId === id && s.liftedAt === undefined);
      const suspension =
        existing ??
        (await vault.guard().suspend({
          subject: request.subject,
          purposes: (request.purposes ?? 'all') as never,
          actor,
          requestId: id,
          reason: reason ?? `suspension request ${id} (APPI Art. 35)`,
        }));
      return finish(id, actor, { suspensionId: suspension.id });
    },

    async liftSuspension(id, input) {
      const actor = assertActor(input);
      const request = await begin(id, ['lift-suspension'], actor);
      const all = await vault.suspensions.list(request.subject);
      const wanted = request.suspensionIds === undefined ? undefined : new Set(request.suspensionIds);
      if (wanted !== undefined) {
        for (const s of wanted) if (!all.some((x) => x.id === s)) throw new InvalidArgumentError('request.suspensionIds', 'must name suspensions of this subject');
      }
      const lifted: string[] = [];
      for (const s of all) {
        if (s.liftedAt !== undefined || (wanted !== undefined && !wanted.has(s.id))) continue;
        await vault.guard().liftSuspension({ id: s.id, actor, subject: request.subject });
        lifted.push(s.id);
      }
      return finish(id, actor, { liftedSuspensionIds: lifted });
    },

    async erase(id, input) {
      const actor = assertActor(input);
      const request = await begin(id, ['erasure'], actor, async (r) => {
        const erasure = await vault.erasure(r.subject);
        if (erasure !== undefined && erasure.reference !== r.id) throw new SubjectAlreadyErasedError(r.subject, erasure.erasedAt);
      });
      let erasure = await vault.erasure(request.subject);
      // Resumed after an interrupted attempt, the tombstone already names this request. Erased
      // concurrently under another reference, vault.erase throws ALREADY_ERASED and the request
      // stays in progress.
      erasure ??= await vault.erase(request.subject, { actor, reference: id });
      return finish(id, actor, { erasedAt: erasure.erasedAt });
    },

    async recordAlternativeMeasures(id, input) {
      const actor = assertActor(input);
      const description = assertLocalized(input.description, 'input.description');
      const reason = assertLocalized(input.reason, 'input.reason');
      await begin(id, ['suspension', 'erasure'], actor);
      const at = clock().toISOString();
      const measures: AlternativeMeasures = Object.freeze({ description, reason, at, actor });
      return finish(id, actor, { alternativeMeasures: measures }, (r, t) => [entry(r, 'request.alternative-measures', actor, t, { details: { state: 'in-progress' } })]);
    },

    async confirmAgent(id, input) {
      const actor = assertActor(input);
      const document = assertShortText(input.document, 'input.document', 100);
      if (document === undefined) throw new InvalidArgumentError('input.document', "must name the document checked, e.g. 'power-of-attorney' or 'family-register'");
      const reference = assertShortText(input.reference, 'input.reference');
      return mutate(id, (r, at) => {
        if (r.agent === undefined) throw new RequestStateError(id, r.state, 'confirm an agent', 'the request was not made by an agent');
        if (r.state === 'completed' || r.state === 'rejected') throw new RequestStateError(id, r.state, 'confirm an agent');
        const next = Object.freeze({
          ...r,
          agent: Object.freeze({ ...r.agent, confirmed: Object.freeze({ document, at, actor, ...(reference !== undefined && { reference }) }) }),
        });
        return { request: next, audit: [entry(next, 'request.agent-confirm', actor, at, { basis: 'appi:Art. 37(3)', details: { agent: r.agent.kind, document } })] };
      });
    },

    async recordFeePaid(id, input) {
      const actor = assertActor(input);
      const method = assertShortText(input.method, 'input.method', 100);
      if (method === undefined) throw new InvalidArgumentError('input.method', "must say how the fee was paid, e.g. 'postal-money-order'");
      return mutate(id, (r, at) => {
        if (r.fee === undefined) throw new RequestStateError(id, r.state, 'record a fee', 'the request has no fee');
        if (r.fee.paidAt !== undefined) throw new RequestStateError(id, r.state, 'record a fee', 'it is already paid');
        const next = Object.freeze({ ...r, fee: Object.freeze({ ...r.fee, paidAt: at }) });
        return { request: next, audit: [entry(next, 'request.fee-paid', actor, at, { basis: 'appi:Art. 38', details: { feeJpy: r.fee.amountJpy, method } })] };
      });
    },

    async notifyPurposes(id, input) {
      const actor = assertActor(input);
      const request = await begin(id, ['purposes-notification'], actor, liveSubject);
      // The purposes of the person's retained data: for each held value, the purposes announced
      // where it was collected (and their incidental purposes) that the field may be used for.
      const provenance = await vault.provenance(request.subject);
      const points = new Set<string>(policy.collectionPointIds as readonly string[]);
      const purposes = (policy.purposeIds as readonly string[]).filter((p) =>
        Object.entries(provenance).some(([f, prov]) => {
          if (!policy.hasField(f) || !points.has(prov.collectionPoint) || !policy.isAllowed(f, p)) return false;
          const announced: readonly string[] = policy.collectionPoint(prov.collectionPoint).purposes;
          return policy.lineage(p).some((q: string) => announced.includes(q));
        }),
      );
      return finish(id, actor, { purposesNotified: Object.freeze(purposes) });
    },

    async stopProvision(id, input) {
      const actor = assertActor(input);
      const request = await begin(id, ['stop-provision'], actor, liveSubject);
      const vendors = request.vendors ?? 'all';
      const already = (await vault.audit.entries({ subject: request.subject, action: 'provision.stop' })).some((e) => e.reference === id);
      if (!already)
        await recordProvisionStop(vault.audit, {
          subject: request.subject,
          vendors,
          actor,
          at: clock().toISOString(),
          requestId: id,
          ...(request.ground !== undefined && { ground: request.ground }),
        });
      return finish(id, actor, { provisionStopped: Object.freeze({ vendors }) });
    },
  };
  return Object.freeze(desk);
}
