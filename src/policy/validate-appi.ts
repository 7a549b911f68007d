/**
 * Validation of the APPI parts of a spec that `validate-spec.ts` delegates: the Art. 32(1)
 * matters (`retainedData`, the operator's address and representative) and foreign recipients
 * (`vendors.<id>.foreign`, Art. 28).
 *
 * @module
 */
import { z } from 'zod';
import type { PolicyIssue } from '../errors.js';
import type { Lang } from '../i18n.js';
import { FOREIGN_PROVISION_BASES, PPC_DESIGNATED_COUNTRIES } from './foreign-recipient-spec.js';
import { CHARGEABLE_REQUESTS, DISCLOSURE_METHODS, SECURITY_MEASURE_CATEGORIES } from './retained-data-spec.js';

const localized = z.strictObject({ en: z.string().optional(), ja: z.string().optional() });
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as JP');
const measureList = z.array(localized).min(1, 'must list at least one measure').readonly();

/** @internal zod schema of `vendors.<id>.foreign`. */
export const foreignRecipientSchema = z.strictObject({
  basis: z.enum(FOREIGN_PROVISION_BASES),
  system: localized,
  measures: localized,
  equivalentMeasures: z.strictObject({ reference: z.string().min(1).max(200), monitoring: localized }).optional(),
});

/** @internal zod schema of `vendors.<id>.jointUse`. */
export const jointUseSchema = z.strictObject({
  users: localized,
  responsible: z.strictObject({ name: localized, address: localized, representative: localized }),
});

/** @internal zod schema of `vendors.<id>.optOut`. */
export const optOutSchema = z.strictObject({
  filedWithPpc: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be the filing date YYYY-MM-DD'),
  acquisition: localized,
  method: localized,
  stopRequests: localized,
  updates: localized.optional(),
});

/** @internal zod schema of `retainedData`. */
export const retainedDataSchema = z.strictObject({
  requests: z.strictObject({
    submitTo: localized,
    form: localized,
    identityVerification: localized,
    agents: localized,
    delivery: localized,
    disclosureMethods: z.array(z.enum(DISCLOSURE_METHODS)).min(1, 'must offer at least one method of disclosure (APPI Art. 33(1))').readonly(),
    fees: z
      .array(
        z.strictObject({
          request: z.enum(CHARGEABLE_REQUESTS, 'fees may be charged only for purposes-notification, disclosure or provision-records (APPI Art. 38(1))'),
          amountJpy: z.number().int('must be a whole number of yen').min(0, 'must not be negative'),
          payment: localized,
          waivedChannels: z.array(z.string().min(1).max(100)).readonly().optional(),
        }),
      )
      .readonly(),
  }),
  securityMeasures: z.strictObject({
    basicPolicy: measureList,
    rules: measureList,
    organisational: measureList,
    human: measureList,
    physical: measureList,
    technical: measureList,
    externalEnvironment: z
      .array(z.strictObject({ country, measures: localized }))
      .readonly()
      .optional(),
  }),
  accreditedOrganisation: localized.optional(),
});

type Text = Readonly<Record<string, string | undefined>> | undefined;
type RetainedData = z.infer<typeof retainedDataSchema>;
type Foreign = z.infer<typeof foreignRecipientSchema>;

/** What the APPI checks need of a (possibly partial) spec. */
export interface AppiView {
  readonly controller?: { readonly address?: Text; readonly representative?: Text } | undefined;
  readonly vendors?:
    | Readonly<
        Record<
          string,
          {
            readonly country: string;
            readonly role: string;
            readonly fields: readonly string[];
            readonly foreign?: Foreign | undefined;
            readonly jointUse?: z.infer<typeof jointUseSchema> | undefined;
            readonly optOut?: z.infer<typeof optOutSchema> | undefined;
          }
        >
      >
    | undefined;
  readonly fields?: Readonly<Record<string, { readonly category: string }>> | undefined;
  readonly retainedData?: RetainedData | undefined;
}

/**
 * @internal cross-checks of the APPI parts; `checkText` reports missing translations.
 */
export function appiIssues(s: AppiView, langs: readonly Lang[], checkText: (path: string, text: Text, required: boolean) => void): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const add = (path: string, message: string): void => void issues.push({ path, message });

  for (const [id, v] of Object.entries(s.vendors ?? {})) {
    const path = `vendors.${id}.foreign`;
    if (v.country === 'JP') {
      if (v.foreign !== undefined) add(path, 'applies only to a recipient outside Japan (country is JP)');
      continue;
    }
    if (v.foreign === undefined) {
      add(path, `is required: the recipient is in a foreign country (${v.country}); give the ground and the information of APPI Art. 28`);
      continue;
    }
    checkText(`${path}.system`, v.foreign.system, true);
    checkText(`${path}.measures`, v.foreign.measures, true);
    if (v.foreign.basis === 'equivalent-measures') {
      if (v.foreign.equivalentMeasures === undefined)
        add(
          `${path}.equivalentMeasures`,
          'is required for basis "equivalent-measures": the instrument of the system meeting the standards (PPC Rules Art. 16) and its monitoring (Art. 28(3))',
        );
      else checkText(`${path}.equivalentMeasures.monitoring`, v.foreign.equivalentMeasures.monitoring, true);
    } else if (v.foreign.equivalentMeasures !== undefined) {
      add(`${path}.equivalentMeasures`, 'applies only to basis "equivalent-measures"');
    }
    if (v.foreign.basis === 'adequate-country' && !PPC_DESIGNATED_COUNTRIES.includes(v.country)) {
      add(`${path}.basis`, `"adequate-country" applies only to countries the Commission designates (PPC Rules Art. 15: the EU, the EEA and the UK), not ${v.country}`);
    }
  }

  for (const [id, v] of Object.entries(s.vendors ?? {})) {
    const path = `vendors.${id}`;
    if (v.role === 'joint-user') {
      if (v.jointUse === undefined) add(`${path}.jointUse`, 'is required for a joint user: the scope of the joint users and the one responsible (APPI Art. 27(5)(iii))');
      else {
        checkText(`${path}.jointUse.users`, v.jointUse.users, true);
        for (const k of ['name', 'address', 'representative'] as const) checkText(`${path}.jointUse.responsible.${k}`, v.jointUse.responsible[k], true);
      }
    } else if (v.jointUse !== undefined) add(`${path}.jointUse`, 'applies only to role "joint-user"');
    if (v.optOut !== undefined) {
      if (v.role !== 'third-party') add(`${path}.optOut`, 'applies only to role "third-party" (provision by opt-out, APPI Art. 27(2))');
      for (const k of ['acquisition', 'method', 'stopRequests'] as const) checkText(`${path}.optOut.${k}`, v.optOut[k], true);
      if (v.optOut.updates !== undefined) checkText(`${path}.optOut.updates`, v.optOut.updates, true);
      v.fields.forEach((f, i) => {
        if (s.fields !== undefined && Object.hasOwn(s.fields, f) && s.fields[f]?.category === 'special-care') {
          add(`${path}.fields[${i}]`, 'special care-required personal information cannot be provided by opt-out (APPI Art. 27(2) proviso)');
        }
      });
    }
  }

  const rd = s.retainedData;
  if (rd === undefined) return issues;
  // Art. 32(1)(i): published with the other matters, so required with them.
  if (s.controller !== undefined) {
    if (s.controller.address === undefined) add('controller.address', 'is required with retainedData: the operator’s address is published under APPI Art. 32(1)(i)');
    if (s.controller.representative === undefined) add('controller.representative', 'is required with retainedData: the representative is published under APPI Art. 32(1)(i)');
  }
  const r = rd.requests;
  for (const key of ['submitTo', 'form', 'identityVerification', 'agents', 'delivery'] as const) checkText(`retainedData.requests.${key}`, r[key], true);
  if (new Set(r.disclosureMethods).size !== r.disclosureMethods.length) add('retainedData.requests.disclosureMethods', 'lists a method twice');
  const charged = new Set<string>();
  r.fees.forEach((fee, i) => {
    if (charged.has(fee.request)) add(`retainedData.requests.fees[${i}]`, `a second fee for "${fee.request}"`);
    charged.add(fee.request);
    checkText(`retainedData.requests.fees[${i}].payment`, fee.payment, true);
  });
  const m = rd.securityMeasures;
  for (const cat of SECURITY_MEASURE_CATEGORIES) m[cat].forEach((t, i) => checkText(`retainedData.securityMeasures.${cat}[${i}]`, t, true));
  const listed = new Set<string>();
  (m.externalEnvironment ?? []).forEach((e, i) => {
    if (e.country === 'JP') add(`retainedData.securityMeasures.externalEnvironment[${i}].country`, 'must be a foreign country, not JP');
    if (listed.has(e.country)) add(`retainedData.securityMeasures.externalEnvironment[${i}].country`, `lists ${e.country} twice`);
    listed.add(e.country);
    checkText(`retainedData.securityMeasures.externalEnvironment[${i}].measures`, e.measures, true);
  });
  for (const [id, v] of Object.entries(s.vendors ?? {})) {
    if (v.country !== 'JP' && !listed.has(v.country)) {
      add(
        'retainedData.securityMeasures.externalEnvironment',
        `must describe ${v.country}, where vendor "${id}" handles personal data (understanding the external environment, PPC General Guidelines 10-7)`,
      );
      listed.add(v.country);
    }
  }
  if (rd.accreditedOrganisation !== undefined) checkText('retainedData.accreditedOrganisation', rd.accreditedOrganisation, true);
  void langs;
  return issues;
}
