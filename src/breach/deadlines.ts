/**
 * Deadlines of an incident, from the moment the operator became aware of it:
 * - the Commission's preliminary report (速報, PPC Rules Art. 8(1)): "promptly"; the PPC
 *   General Guidelines (3-5-3-3) take that as about 3 to 5 days. The SDK gives the end of day
 *   5 as an indication, not a statutory limit.
 * - the final report (確報, Rules Art. 8(2)): within 30 days, 60 where the incident may have
 *   been caused for a wrongful purpose (Art. 7(iii)); counted in calendar days with the day of
 *   awareness as day 1 (Guidelines 3-5-3-4), in Japan time: the end of day 30 (or 60) JST.
 * - GDPR Art. 33(1): the supervisory authority within 72 hours of becoming aware.
 * - The notice to the person (APPI Art. 26(2), Rules Art. 10) and GDPR Art. 34: promptly /
 *   without undue delay — no fixed day; listed as due from awareness.
 *
 * @module
 */

/**
 * The deadlines of one incident, as ISO 8601 instants (absent when the duty does not apply).
 *
 * @example
 * ```ts
 * const d: BreachDeadlines = incident.deadlines;
 * d.ppcFinal; // '2026-05-09T14:59:59.999Z'
 * ```
 */
export interface BreachDeadlines {
  /** Indication for the preliminary report: end of day 5 (JST) counting the day of awareness as day 1. */
  readonly ppcPreliminaryIndication?: string;
  /** The final report: end of day 30, or 60 for a wrongful purpose (JST). */
  readonly ppcFinal?: string;
  /** GDPR Art. 33(1): 72 hours after awareness. */
  readonly gdprAuthority?: string;
}

const JST_OFFSET_MS = 9 * 3_600_000;
const DAY = 86_400_000;

/**
 * The end (23:59:59.999 JST) of day `n` of a period whose day 1 is the Japanese calendar day of
 * `start`.
 *
 * @param start - the instant the period starts (awareness)
 * @param n - which day (1 = the day of `start`)
 * @example
 * ```ts
 * endOfJstDay(new Date('2026-04-10T02:00:00Z'), 30).toISOString(); // '2026-05-09T14:59:59.999Z'
 * ```
 */
export function endOfJstDay(start: Date, n: number): Date {
  const jst = start.getTime() + JST_OFFSET_MS;
  const dayStartJst = Math.floor(jst / DAY) * DAY;
  return new Date(dayStartJst + n * DAY - 1 - JST_OFFSET_MS);
}

/**
 * Compute the deadlines of an incident.
 *
 * @param discoveredAt - when the operator became aware
 * @param duties - which duties apply
 * @example
 * ```ts
 * breachDeadlines(new Date('2026-04-10T02:00:00Z'), { ppc: true, wrongfulPurpose: true, gdprAuthority: false }).ppcFinal;
 * // '2026-06-08T14:59:59.999Z' (day 60)
 * ```
 */
export function breachDeadlines(discoveredAt: Date, duties: { readonly ppc: boolean; readonly wrongfulPurpose: boolean; readonly gdprAuthority: boolean }): BreachDeadlines {
  const out: { -readonly [K in keyof BreachDeadlines]: BreachDeadlines[K] } = {};
  if (duties.ppc) {
    out.ppcPreliminaryIndication = endOfJstDay(discoveredAt, 5).toISOString();
    out.ppcFinal = endOfJstDay(discoveredAt, duties.wrongfulPurpose ? 60 : 30).toISOString();
  }
  if (duties.gdprAuthority) out.gdprAuthority = new Date(discoveredAt.getTime() + 72 * 3_600_000).toISOString();
  return Object.freeze(out);
}
