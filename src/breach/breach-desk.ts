/**
 * `createBreachDesk`: the leakage (漏えい等) workflow over a vault. Record an incident, derive
 * the affected persons from the audit log, decide what must be reported (APPI Art. 26 with PPC
 * Rules Art. 7; GDPR Arts. 33/34), track the deadlines, complete the report items, produce the
 * Commission's preliminary and final report, the notice to each person and the GDPR
 * notification, and record what was submitted and sent.
 *
 * The incident is kept in the audit log itself (through `vault.audit.append` and
 * `vault.audit.entries` only): `breach.record` holds the incident, `breach.affected` one entry
 * per person (so the person's disclosure shows it), `breach.update`, `breach.report`,
 * `breach.notify` and `breach.gdpr-notify` the steps. It is therefore as durable and as
 * tamper-evident as the audit log, on every adapter. Texts of an incident are the operator's
 * words and must not contain personal values.
 *
 * @module
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import { InvalidArgumentError } from '../errors.js';
import type { Lang, Localized } from '../i18n.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import { isStoredText } from '../util/stored-text.js';
import { orderedId } from '../vault/ordered-id.js';
import type { Vault } from '../vault/types.js';
import { deriveAffected } from './affected.js';
import { breachDeadlines } from './deadlines.js';
import { BreachInvalidError, unknownIncident } from './errors.js';
import { BREACH_KINDS, type AffectedSubject, type BreachIncident, type BreachInput, type BreachReportItems, type ReportableGround } from './incident.js';
import { buildBreachNoticeDocument, buildGdprAuthorityDocument, buildPpcReportDocument } from './reports.js';
import type { NoticeDocument } from '../notices/model.js';

/**
 * Options of {@link createBreachDesk}.
 *
 * @example
 * ```ts
 * createBreachDesk({ vault, clock: () => new Date() } satisfies BreachDeskOptions<typeof policy>);
 * ```
 */
export interface BreachDeskOptions<Pol extends AnyPolicy> {
  readonly vault: Vault<Pol>;
  /** Default `() => new Date()`. */
  readonly clock?: () => Date;
}

/**
 * The breach desk.
 *
 * @example
 * ```ts
 * const breaches = createBreachDesk({ vault });
 * const incident = await breaches.record({ kind: 'leakage', discoveredAt, fields: ['name', 'address'], scope: { provisions: { vendor: 'mailingService' } }, summary, actor: 'dpo' });
 * const report = breaches.ppcReport(incident, 'preliminary', 'ja');
 * ```
 */
export interface BreachDesk {
  /** Record an incident: validate it, derive the affected persons, decide reportability, compute the deadlines; audited. */
  record(input: BreachInput): Promise<BreachIncident>;
  /** Complete or revise the report items (Rules Art. 8(1)); audited. */
  update(id: string, items: BreachReportItems, by: { readonly actor: string }): Promise<BreachIncident>;
  /** One incident as it stands. @throws BreachInvalidError for an unknown id */
  get(id: string): Promise<BreachIncident>;
  /** Every incident, oldest first. */
  list(): Promise<readonly BreachIncident[]>;
  /** Incidents with a deadline passed at `now` and the duty not yet done: `ppc-preliminary` (indication), `ppc-final`, `gdpr-authority`, `persons`. */
  overdue(now: Date): Promise<readonly { readonly incident: string; readonly duty: 'ppc-preliminary' | 'ppc-final' | 'gdpr-authority' | 'persons' }[]>;
  /** The Commission's report, preliminary or final, as a document (render with `renderDocument`). @throws BreachInvalidError for a final report lacking items */
  ppcReport(incident: BreachIncident, stage: 'preliminary' | 'final', lang: Lang): NoticeDocument;
  /** The notice to one affected person (Art. 26(2)). */
  personNotice(incident: BreachIncident, subject: string, lang: Lang): NoticeDocument;
  /** The GDPR Art. 33(3) notification. */
  gdprNotification(incident: BreachIncident, lang: Lang): NoticeDocument;
  /** Record that a report was submitted to the Commission; audited. The final report needs every item. */
  markReported(id: string, stage: 'preliminary' | 'final', by: { readonly actor: string; readonly reference?: string }): Promise<BreachIncident>;
  /** Record that a person was notified (e.g. `e-mail`, `post`); audited on the person. */
  markNotified(id: string, subject: string, by: { readonly actor: string; readonly method: string }): Promise<BreachIncident>;
  /** Record that the GDPR supervisory authority was notified; audited. */
  markGdprNotified(id: string, by: { readonly actor: string; readonly reference?: string }): Promise<BreachIncident>;
}

const MAX_TEXT = 4000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function assertInstant(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value)))
    throw new BreachInvalidError(field, 'must be an ISO 8601 instant with a time zone, e.g. 2026-04-10T02:00:00Z');
  return new Date(value).toISOString();
}

function assertText(value: unknown, field: string, langs: readonly Lang[], required: boolean): Localized | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'object' || value === null) throw new BreachInvalidError(field, `must be a text in ${langs.join(' and ')}`);
  const out: Record<string, string> = {};
  for (const lang of langs) {
    const t = (value as Record<string, unknown>)[lang];
    if (typeof t !== 'string' || t.trim() === '' || t.length > MAX_TEXT)
      throw new BreachInvalidError(`${field}.${lang}`, `must be a non-empty text of at most ${MAX_TEXT} characters`);
    out[lang] = t;
  }
  return Object.freeze(out);
}

function assertActor(value: unknown, field: string): string {
  if (!isStoredText(value, 200)) throw new InvalidArgumentError(field, 'must be a non-empty string naming who acts (at most 200 characters)');
  return value;
}

/** The stored form of an incident: what `breach.record` holds (no derived subjects). */
interface StoredIncident {
  readonly id: string;
  readonly kind: BreachIncident['kind'];
  readonly suspected: boolean;
  readonly discoveredAt: string;
  readonly occurredAt?: string;
  readonly fields: readonly string[];
  readonly scope: BreachIncident['scope'];
  readonly estimatedPersons?: number;
  readonly summary: Localized;
  readonly cause?: Localized;
  readonly wrongfulPurpose: boolean;
  readonly financialDamageRisk: boolean;
  readonly protectedByEncryption: boolean;
  readonly gdpr?: BreachInput['gdpr'];
  readonly recordedBy: string;
  readonly policyVersion: string;
}

/**
 * Create the breach desk over a vault.
 *
 * @param options - the vault, optionally a clock
 * @throws InvalidArgumentError when `options.vault` is missing
 * @example
 * ```ts
 * const breaches = createBreachDesk({ vault });
 * ```
 */
export function createBreachDesk<Pol extends AnyPolicy>(options: BreachDeskOptions<Pol>): BreachDesk {
  if (typeof options !== 'object' || options === null || typeof options.vault !== 'object' || options.vault === null) {
    throw new InvalidArgumentError('options.vault', 'must be a vault made by createVault()');
  }
  const { vault } = options;
  const policy = vault.policy as AnyPolicy;
  const clock = options.clock ?? (() => new Date());
  const langs = policy.languages;

  function validate(input: BreachInput): Omit<StoredIncident, 'id' | 'recordedBy' | 'policyVersion'> & { actor: string } {
    if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('input', 'must be an object');
    if (!(BREACH_KINDS as readonly string[]).includes(input.kind)) throw new BreachInvalidError('input.kind', `must be one of ${BREACH_KINDS.join(', ')}`);
    const discoveredAt = assertInstant(input.discoveredAt, 'input.discoveredAt');
    const occurredAt = input.occurredAt === undefined ? undefined : assertInstant(input.occurredAt, 'input.occurredAt');
    if (occurredAt !== undefined && occurredAt > discoveredAt) throw new BreachInvalidError('input.occurredAt', 'must not be after discoveredAt');
    if (!Array.isArray(input.fields) || input.fields.length === 0) throw new BreachInvalidError('input.fields', 'must list at least one field of the policy');
    input.fields.forEach((f, i) => {
      if (typeof f !== 'string' || !policy.hasField(f)) throw new BreachInvalidError(`input.fields[${i}]`, 'is not a field of the policy');
    });
    const scope = input.scope as unknown;
    if (typeof scope !== 'object' || scope === null) throw new BreachInvalidError('input.scope', 'must say how the affected persons are found (subjects, reads or provisions)');
    const s = input.scope;
    if (s.subjects === undefined && s.reads === undefined && s.provisions === undefined && input.estimatedPersons === undefined) {
      throw new BreachInvalidError('input.scope', 'must list subjects, reads or provisions, or give estimatedPersons');
    }
    if (s.subjects !== undefined && (!Array.isArray(s.subjects) || s.subjects.some((x) => !isStoredText(x, 200))))
      throw new BreachInvalidError('input.scope.subjects', 'must be an array of subject ids');
    if (s.reads !== undefined) {
      assertInstant(s.reads.from, 'input.scope.reads.from');
      assertInstant(s.reads.to, 'input.scope.reads.to');
      if (s.reads.actor !== undefined && !isStoredText(s.reads.actor, 200)) throw new BreachInvalidError('input.scope.reads.actor', 'must be an actor id');
    }
    if (s.provisions !== undefined) {
      if (!(policy.vendorIds as readonly string[]).includes(s.provisions.vendor)) throw new BreachInvalidError('input.scope.provisions.vendor', 'is not a vendor of the policy');
      if (s.provisions.from !== undefined) assertInstant(s.provisions.from, 'input.scope.provisions.from');
      if (s.provisions.to !== undefined) assertInstant(s.provisions.to, 'input.scope.provisions.to');
    }
    const est = input.estimatedPersons;
    if (est !== undefined && (!Number.isInteger(est) || est < 0)) throw new BreachInvalidError('input.estimatedPersons', 'must be a whole number, 0 or more');
    for (const flag of ['suspected', 'wrongfulPurpose', 'financialDamageRisk', 'protectedByEncryption'] as const) {
      if (input[flag] !== undefined && typeof input[flag] !== 'boolean') throw new BreachInvalidError(`input.${flag}`, 'must be true or false');
    }
    if (input.gdpr !== undefined && !['unlikely', 'risk', 'high'].includes(input.gdpr.risk))
      throw new BreachInvalidError('input.gdpr.risk', "must be 'unlikely', 'risk' or 'high'");
    const summary = assertText(input.summary, 'input.summary', langs, true) as Localized;
    const cause = assertText(input.cause, 'input.cause', langs, false);
    return {
      kind: input.kind,
      suspected: input.suspected === true,
      discoveredAt,
      ...(occurredAt !== undefined && { occurredAt }),
      fields: Object.freeze([...new Set(input.fields)]),
      scope: JSON.parse(JSON.stringify(s)) as BreachIncident['scope'],
      ...(est !== undefined && { estimatedPersons: est }),
      summary,
      ...(cause !== undefined && { cause }),
      wrongfulPurpose: input.wrongfulPurpose === true,
      financialDamageRisk: input.financialDamageRisk === true,
      protectedByEncryption: input.protectedByEncryption === true,
      ...(input.gdpr !== undefined && { gdpr: { risk: input.gdpr.risk } }),
      actor: assertActor(input.actor, 'input.actor'),
    };
  }

  function assess(stored: StoredIncident, affected: readonly AffectedSubject[]): Pick<BreachIncident, 'personCount' | 'reportable' | 'deadlines'> {
    const personCount = Math.max(affected.length, stored.estimatedPersons ?? 0);
    const grounds: ReportableGround[] = [];
    if (!stored.protectedByEncryption) {
      if (stored.fields.some((f) => policy.field(f).category === 'special-care')) grounds.push('special-care');
      if (stored.financialDamageRisk) grounds.push('financial-damage');
      if (stored.wrongfulPurpose) grounds.push('wrongful-purpose');
      if (personCount > 1000) grounds.push('over-1000');
    }
    const risk = stored.gdpr?.risk;
    const gdprAuthority = risk !== undefined && risk !== 'unlikely';
    const gdprPersons = risk === 'high' && !stored.protectedByEncryption;
    const ppc = grounds.length > 0;
    return {
      personCount,
      reportable: Object.freeze({ ppc, grounds: Object.freeze(grounds), gdprAuthority, gdprPersons }),
      deadlines: breachDeadlines(new Date(stored.discoveredAt), { ppc, wrongfulPurpose: stored.wrongfulPurpose, gdprAuthority }),
    };
  }

  const detailsOf = (e: AuditEntry): Readonly<Record<string, unknown>> => e.details ?? {};

  async function load(id: string): Promise<BreachIncident | undefined> {
    const recorded = (await vault.audit.entries({ action: 'breach.record' })).find((e) => detailsOf(e).incident === id);
    if (recorded === undefined) return undefined;
    const stored = JSON.parse(String(detailsOf(recorded).doc)) as StoredIncident;
    const mine = (e: AuditEntry): boolean => detailsOf(e).incident === id;
    const affected = (await vault.audit.entries({ action: 'breach.affected' })).filter(mine).map((e) =>
      Object.freeze({
        subject: e.subject as string,
        fields: Object.freeze(String(detailsOf(e).fields).split(',')),
        via: Object.freeze(String(detailsOf(e).via).split(',') as AffectedSubject['via'][number][]),
        auditSeqs: Object.freeze(
          String(detailsOf(e).auditSeqs ?? '')
            .split(',')
            .filter((x) => x !== '')
            .map(Number),
        ),
      }),
    );
    let items: BreachIncident['items'] = { summary: stored.summary, ...(stored.cause !== undefined && { cause: stored.cause }) };
    for (const e of (await vault.audit.entries({ action: 'breach.update' })).filter(mine)) items = { ...items, ...(JSON.parse(String(detailsOf(e).items)) as BreachReportItems) };
    const reports = (await vault.audit.entries({ action: 'breach.report' }))
      .filter(mine)
      .map((e) => Object.freeze({ stage: detailsOf(e).stage as 'preliminary' | 'final', at: e.at, actor: e.actor, ...(e.reference !== undefined && { reference: e.reference }) }));
    const notified = (await vault.audit.entries({ action: 'breach.notify' }))
      .filter(mine)
      .map((e) => Object.freeze({ subject: e.subject as string, at: e.at, method: String(detailsOf(e).method) }));
    const gdpr = (await vault.audit.entries({ action: 'breach.gdpr-notify' })).find(mine);
    return Object.freeze({
      id: stored.id,
      kind: stored.kind,
      suspected: stored.suspected,
      discoveredAt: stored.discoveredAt,
      ...(stored.occurredAt !== undefined && { occurredAt: stored.occurredAt }),
      fields: Object.freeze(stored.fields),
      scope: stored.scope,
      affected: Object.freeze(affected),
      wrongfulPurpose: stored.wrongfulPurpose,
      financialDamageRisk: stored.financialDamageRisk,
      protectedByEncryption: stored.protectedByEncryption,
      items: Object.freeze(items),
      ...assess(stored, affected),
      reports: Object.freeze(reports),
      notified: Object.freeze(notified),
      ...(gdpr !== undefined && { gdprAuthorityNotifiedAt: gdpr.at }),
      recordedBy: stored.recordedBy,
      policyVersion: stored.policyVersion,
    });
  }

  async function mustLoad(id: unknown): Promise<BreachIncident> {
    if (typeof id !== 'string' || !isStoredText(id, 100)) throw unknownIncident(id);
    const incident = await load(id);
    if (incident === undefined) throw unknownIncident(id);
    return incident;
  }

  const desk: BreachDesk = {
    async record(input) {
      const v = validate(input);
      const { actor, ...rest } = v;
      const stored: StoredIncident = { id: `breach-${orderedId()}`, ...rest, recordedBy: actor, policyVersion: policy.version };
      const affected = await deriveAffected(vault.audit, stored.scope, stored.fields);
      const at = clock().toISOString();
      const a = assess(stored, affected);
      await vault.audit.append({
        at,
        action: 'breach.record',
        actor,
        decision: 'record',
        details: {
          incident: stored.id,
          kind: stored.kind,
          persons: a.personCount,
          reportable: a.reportable.ppc,
          grounds: a.reportable.grounds.join(','),
          ppcFinal: a.deadlines.ppcFinal ?? null,
          doc: JSON.stringify(stored),
        },
      });
      for (const x of affected) {
        await vault.audit.append({
          at,
          action: 'breach.affected',
          actor,
          subject: x.subject,
          decision: 'record',
          details: { incident: stored.id, fields: x.fields.join(','), via: x.via.join(','), auditSeqs: x.auditSeqs.join(',') },
        });
      }
      return mustLoad(stored.id);
    },

    async update(id, items, by) {
      await mustLoad(id);
      if (typeof items !== 'object' || items === null) throw new InvalidArgumentError('items', 'must be an object of report items');
      const keys = ['summary', 'cause', 'secondaryDamage', 'responseToPersons', 'publicAnnouncement', 'preventionMeasures', 'other'] as const;
      const clean: Record<string, Localized> = {};
      for (const k of Object.keys(items)) if (!(keys as readonly string[]).includes(k)) throw new BreachInvalidError(`items.${k}`, 'is not a report item');
      for (const k of keys) {
        const t = assertText(items[k], `items.${k}`, langs, false);
        if (t !== undefined) clean[k] = t;
      }
      await vault.audit.append({
        at: clock().toISOString(),
        action: 'breach.update',
        actor: assertActor(by?.actor, 'by.actor'),
        decision: 'record',
        details: { incident: id, items: JSON.stringify(clean) },
      });
      return mustLoad(id);
    },

    get: (id) => mustLoad(id),

    async list() {
      const ids = (await vault.audit.entries({ action: 'breach.record' })).map((e) => String(detailsOf(e).incident));
      const out: BreachIncident[] = [];
      for (const id of ids) out.push(await mustLoad(id));
      return Object.freeze(out);
    },

    async overdue(now) {
      if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new InvalidArgumentError('now', 'must be a valid Date');
      const t = now.toISOString();
      const out: { incident: string; duty: 'ppc-preliminary' | 'ppc-final' | 'gdpr-authority' | 'persons' }[] = [];
      for (const i of await desk.list()) {
        const stages = new Set(i.reports.map((r) => r.stage));
        const d = i.deadlines;
        if (d.ppcPreliminaryIndication !== undefined && t > d.ppcPreliminaryIndication && stages.size === 0) out.push({ incident: i.id, duty: 'ppc-preliminary' });
        if (d.ppcFinal !== undefined && t > d.ppcFinal && !stages.has('final')) out.push({ incident: i.id, duty: 'ppc-final' });
        if (d.gdprAuthority !== undefined && t > d.gdprAuthority && i.gdprAuthorityNotifiedAt === undefined) out.push({ incident: i.id, duty: 'gdpr-authority' });
        // Notice to the persons is due "promptly" (Art. 26(2)) / "without undue delay" (GDPR 34): flagged once the preliminary indication has passed.
        const notifiedSubjects = new Set(i.notified.map((n) => n.subject));
        const owed = i.reportable.ppc || i.reportable.gdprPersons;
        const by = [d.ppcPreliminaryIndication, i.reportable.gdprPersons ? d.gdprAuthority : undefined].filter((x): x is string => x !== undefined).sort()[0];
        if (owed && by !== undefined && t > by && i.affected.some((a) => !notifiedSubjects.has(a.subject))) out.push({ incident: i.id, duty: 'persons' });
      }
      return Object.freeze(out);
    },

    ppcReport: (incident, stage, lang) => buildPpcReportDocument(policy, incident, stage, lang),
    personNotice: (incident, subject, lang) => buildBreachNoticeDocument(policy, incident, subject, lang),
    gdprNotification: (incident, lang) => buildGdprAuthorityDocument(policy, incident, lang),

    async markReported(id, stage, by) {
      const incident = await mustLoad(id);
      if (stage !== 'preliminary' && stage !== 'final') throw new InvalidArgumentError('stage', "must be 'preliminary' or 'final'");
      if (!incident.reportable.ppc) throw new BreachInvalidError('stage', 'the incident is not one the Commission must be told of (PPC Rules Art. 7); nothing to report');
      // The final report needs every item: the same check as building it.
      for (const lang of langs) buildPpcReportDocument(policy, incident, stage, lang);
      const actor = assertActor(by?.actor, 'by.actor');
      if (by.reference !== undefined && !isStoredText(by.reference, 200))
        throw new InvalidArgumentError('by.reference', 'must be the Commission’s receipt number (1-200 characters)');
      await vault.audit.append({
        at: clock().toISOString(),
        action: 'breach.report',
        actor,
        decision: 'record',
        ...(by.reference !== undefined && { reference: by.reference }),
        details: { incident: id, stage },
      });
      return mustLoad(id);
    },

    async markNotified(id, subject, by) {
      const incident = await mustLoad(id);
      if (!incident.affected.some((a) => a.subject === subject)) throw new BreachInvalidError('subject', 'is not among the persons affected by this incident');
      const actor = assertActor(by?.actor, 'by.actor');
      if (!isStoredText(by.method, 100)) throw new InvalidArgumentError('by.method', "must say how the person was notified, e.g. 'e-mail' or 'post'");
      await vault.audit.append({ at: clock().toISOString(), action: 'breach.notify', actor, subject, decision: 'record', details: { incident: id, method: by.method } });
      return mustLoad(id);
    },

    async markGdprNotified(id, by) {
      const incident = await mustLoad(id);
      if (!incident.reportable.gdprAuthority)
        throw new BreachInvalidError('incident', 'is not one the GDPR supervisory authority must be notified of (risk assessed as unlikely or not assessed)');
      const actor = assertActor(by?.actor, 'by.actor');
      await vault.audit.append({
        at: clock().toISOString(),
        action: 'breach.gdpr-notify',
        actor,
        decision: 'record',
        ...(by.reference !== undefined && isStoredText(by.reference, 200) && { reference: by.reference }),
        details: { incident: id },
      });
      return mustLoad(id);
    },
  };
  return Object.freeze(desk);
}
