/**
 * A small clinic policy for the vault tests: a special-care field (APPI Art. 20(2)), an
 * entrusted collection point (§11), a lookup field, a consent-based purpose.
 *
 * @module
 */
import { z } from 'zod';
import { createLocalKeyring, createVault, definePolicy, generateKey, type DataKeyCacheOptions, type Keyring } from 'purpose-bound';
import { memoryAdapter, type MemoryAdapter } from 'purpose-bound/adapters/memory';

const t = (en: string, ja: string) => ({ en, ja });

export const clinic = definePolicy({
  id: 'clinic',
  version: '2',
  effective: '2026-01-01',
  controller: { name: t('Clinic', 'クリニック'), contact: { email: 'privacy@clinic.example' } },
  purposes: {
    care: { title: t('Care', '診療'), description: t('To treat you.', '診療のため。'), basis: 'contract', retention: 'P5Y' },
    reminders: { title: t('Reminders', 'リマインダー'), description: t('To remind you.', 'ご案内のため。'), basis: 'contract', retention: 'P1Y', parent: 'care' },
    research: { title: t('Research', '研究'), description: t('For research.', '研究のため。'), basis: 'consent', retention: 'P3Y' },
    payroll: { title: t('Payroll processing', '給与計算受託'), description: t('Payroll for a client.', '委託元の給与計算のため。'), basis: 'contract', retention: 'P1Y' },
  },
  fields: {
    name: { title: t('Name', '氏名'), schema: z.string().min(1).max(100), category: 'identifier', purposes: ['care', 'payroll'] },
    email: { title: t('E-mail', 'メール'), schema: z.email(), category: 'contact', purposes: ['care', 'research'], lookup: true },
    allergies: { title: t('Allergies', 'アレルギー'), schema: z.array(z.string().min(1)), category: 'special-care', purposes: ['care', 'research'] },
    salary: { title: t('Salary', '給与'), schema: z.number().int().nonnegative(), category: 'other', purposes: ['payroll'] },
  },
  collectionPoints: {
    registration: { title: t('Registration', '受付'), fields: ['name', 'email'], purposes: ['care'], optional: ['email'] },
    intake: { title: t('Intake form', '問診票'), fields: ['name', 'allergies'], purposes: ['care'] },
    payrollImport: { title: t('Payroll import', '給与データ受領'), fields: ['name', 'salary'], purposes: ['payroll'], source: 'entrusted' },
  },
});

export function keyring(): Keyring {
  return createLocalKeyring({ keys: { 'kek-1': generateKey() }, current: 'kek-1' });
}

export async function setup(options: { clock?: () => Date; ring?: Keyring; dataKeyCache?: DataKeyCacheOptions | false } = {}) {
  const adapter: MemoryAdapter = memoryAdapter();
  const ring = options.ring ?? keyring();
  const vault = await createVault({
    policy: clinic,
    adapter,
    keyring: ring,
    ...(options.clock && { clock: options.clock }),
    ...(options.dataKeyCache !== undefined && { dataKeyCache: options.dataKeyCache }),
  });
  return { adapter, vault, ring, guard: vault.guard() };
}
