/**
 * The leakage (漏えい等) workflow: APPI Art. 26 with PPC Rules Arts. 7-10, GDPR Arts. 33/34.
 *
 * @module
 */
export { createBreachDesk, type BreachDesk, type BreachDeskOptions } from './breach-desk.js';
export { breachDeadlines, endOfJstDay, type BreachDeadlines } from './deadlines.js';
export { BreachInvalidError } from './errors.js';
export {
  BREACH_KINDS,
  type AffectedSubject,
  type BreachGdprAssessment,
  type BreachIncident,
  type BreachInput,
  type BreachKind,
  type BreachReportItems,
  type BreachScope,
  type ReportableGround,
} from './incident.js';
export { buildBreachNoticeDocument, buildGdprAuthorityDocument, buildPpcReportDocument } from './reports.js';
