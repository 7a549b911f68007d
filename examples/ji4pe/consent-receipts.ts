/**
 * The Ji4pe consent receipts of one person, as the requests walkthrough issues them: an
 * ISO/IEC TS 27560 record (DPV JSON-LD) per consent-based purpose, and a Kantara v1.1 receipt
 * in English and in Japanese. Only purposes whose legal basis is consent appear: the insurer's
 * consent under APPI Art. 27(1) and the contract purposes of the application form are not
 * consents to a purpose and are not presented as such.
 */
import { isConsentPurpose, toIso27560Records, toKantaraReceipt, type ConsentRecord, type ControllerDetails } from 'purpose-bound';
import { ji4pePolicy } from './policy.js';

/**
 * Kantara v1.1 and 27560 require the controller's postal address (and Kantara a telephone
 * number), which the seed policy does not publish: these are example values, not the institute's.
 */
export const ji4peControllerDetails: ControllerDetails = {
  phone: '+81-3-0000-0000',
  address: { streetAddress: '(example) 1-1 Example-cho', addressLocality: 'Chiyoda-ku', addressRegion: 'Tokyo', addressCountry: 'JP' },
};

/** The receipts of one subject's consent events. */
export function ji4peConsentReceipts(consents: readonly ConsentRecord[]) {
  const consentBased = consents.filter((c) => isConsentPurpose(ji4pePolicy, c.purpose));
  const grants = consentBased.filter((c) => c.state === 'granted');
  return {
    records: toIso27560Records(ji4pePolicy, consentBased, { controller: ji4peControllerDetails }),
    kantara: grants.length === 0 ? [] : (['en', 'ja'] as const).map((lang) => toKantaraReceipt(ji4pePolicy, grants, { lang, controller: ji4peControllerDetails })),
  };
}
