/**
 * Who is affected by an incident, derived from the audit log (through its query API only):
 * the subjects whose fields were read, or provided to a vendor, in the incident's window, plus
 * those listed.
 *
 * @module
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AffectedSubject, BreachScope } from './incident.js';

type Via = AffectedSubject['via'][number];

/**
 * @internal the affected subjects of a scope, each with the incident's fields it concerns.
 * Listed subjects are affected in every incident field; derived ones in the fields the entries
 * show, limited to the incident's fields.
 */
export async function deriveAffected(audit: Pick<AuditLog, 'entries'>, scope: BreachScope, fields: readonly string[]): Promise<AffectedSubject[]> {
  const wanted = new Set(fields);
  const acc = new Map<string, { fields: Set<string>; via: Set<Via>; seqs: number[] }>();
  const add = (subject: string, fs: Iterable<string>, via: Via, seq?: number): void => {
    let a = acc.get(subject);
    if (a === undefined) {
      a = { fields: new Set(), via: new Set(), seqs: [] };
      acc.set(subject, a);
    }
    for (const f of fs) if (wanted.has(f)) a.fields.add(f);
    a.via.add(via);
    if (seq !== undefined) a.seqs.push(seq);
  };
  for (const s of scope.subjects ?? []) add(s, fields, 'listed');

  const within = (e: AuditEntry, from?: string, to?: string): boolean => (from === undefined || e.at >= from) && (to === undefined || e.at <= to);
  if (scope.reads !== undefined) {
    const { actor, from, to } = scope.reads;
    for (const action of ['read', 'read-outside-purpose']) {
      const entries = await audit.entries({ action, decision: 'allow', ...(actor !== undefined && { actor }) });
      for (const e of entries) {
        if (e.subject === undefined || e.field === undefined || !wanted.has(e.field) || !within(e, from, to)) continue;
        add(e.subject, [e.field], 'reads', e.seq);
      }
    }
  }
  if (scope.provisions !== undefined) {
    const { vendor, from, to } = scope.provisions;
    for (const e of await audit.entries({ action: 'provide', decision: 'allow' })) {
      if (e.subject === undefined || e.details?.vendor !== vendor || !within(e, from, to)) continue;
      const given = typeof e.details.fields === 'string' ? e.details.fields.split(',') : [];
      if (!given.some((f) => wanted.has(f))) continue;
      add(e.subject, given, 'provisions', e.seq);
    }
  }
  return [...acc.entries()]
    .filter(([, a]) => a.fields.size > 0)
    .map(([subject, a]) =>
      Object.freeze({
        subject,
        fields: Object.freeze(fields.filter((f) => a.fields.has(f))),
        via: Object.freeze([...a.via]),
        auditSeqs: Object.freeze([...new Set(a.seqs)].sort((x, y) => x - y)),
      }),
    );
}
