/**
 * Stops of provision to third parties (第三者への提供の停止, APPI Art. 35(3)/(5)) that the request
 * desk records and `provide()` enforces. Kept in the audit log (`provision.stop` entries on the
 * subject), through the audit log's append and query API only: a stop is as durable and
 * tamper-evident as the log, and shows in the person's disclosure.
 *
 * A stop covers the recipients that are third parties: vendors of role `third-party`, and any
 * recipient in a foreign country (Art. 28 treats it as a third party even under entrustment).
 * Contractors in Japan receive data under entrustment, not as third parties, and are not
 * stopped by it.
 *
 * @module
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { VendorSpec } from '../policy/spec.js';

/** @internal record a stop for a subject: `'all'` third parties or the listed vendors. */
export async function recordProvisionStop(
  audit: Pick<AuditLog, 'append'>,
  stop: {
    readonly subject: string;
    readonly vendors: 'all' | readonly string[];
    readonly actor: string;
    readonly at: string;
    readonly requestId: string;
    readonly ground?: string;
  },
): Promise<void> {
  await audit.append({
    at: stop.at,
    action: 'provision.stop',
    actor: stop.actor,
    subject: stop.subject,
    decision: 'record',
    reference: stop.requestId,
    ...(stop.ground !== undefined && { basis: stop.ground }),
    details: { request: stop.requestId, vendors: stop.vendors === 'all' ? 'all' : stop.vendors.join(',') },
  });
}

/** @internal whether provision of a subject's data to `vendorId` has been stopped. */
export async function isProvisionStopped(audit: Pick<AuditLog, 'entries'>, subject: string, vendorId: string, vendor: VendorSpec): Promise<boolean> {
  if (vendor.role !== 'third-party' && vendor.country === 'JP') return false;
  for (const e of await audit.entries({ subject, action: 'provision.stop' })) {
    const v = e.details?.vendors;
    if (v === 'all' || (typeof v === 'string' && v.split(',').includes(vendorId))) return true;
  }
  return false;
}
