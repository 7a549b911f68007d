/**
 * Writes every ji4pe notice to `examples/ji4pe/out/` (gitignored) in English and Japanese, as
 * text, Markdown and HTML pages: the full privacy policy, the notice at collection for each
 * collection point, and the change notice for a revision of the policy (`ji4pePolicy2021`,
 * below) that adds a newsletter, a foreign e-mail delivery contractor and a field.
 *
 * Run: `npm run notices` (or `npx tsx --tsconfig tsconfig.json examples/ji4pe/notices.ts [outDir]`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { definePolicy, LANGUAGES, NOTICE_FORMATS, renderNotice, type NoticeFormat, type RenderNoticeOptions } from 'purpose-bound';
import { ji4pePolicy } from './policy.js';
import { ji4peRetainedData } from './retained-data.js';

const spec = ji4pePolicy.spec;

/**
 * A revision of the ji4pe policy, effective 1 April 2021: a newsletter sent with consent (to
 * e-mail addresses already collected: needs fresh consent), the telephone number now also used
 * to refuse improper use (needs consent), a longer retention for inquiries, an optional
 * occupation field, and an e-mail delivery contractor in the United States.
 */
export const ji4pePolicy2021 = definePolicy({
  ...spec,
  version: '2021-04',
  effective: '2021-04-01',
  purposes: {
    ...spec.purposes,
    inquiryResponse: { ...spec.purposes.inquiryResponse, retention: 'P2Y' },
    newsletter: {
      title: { en: 'Newsletter', ja: 'メールマガジンの配信' },
      description: {
        en: 'To send the Institute’s newsletter about study courses and events by e-mail.',
        ja: '講座及びイベントに関する当研究所のメールマガジンを電子メールで配信するため。',
      },
      basis: 'consent',
      retention: 'P2Y',
    },
  },
  fields: {
    ...spec.fields,
    phone: { ...spec.fields.phone, purposes: [...spec.fields.phone.purposes, 'abusePrevention'] },
    email: { ...spec.fields.email, purposes: [...spec.fields.email.purposes, 'newsletter'] },
    occupation: {
      title: { en: 'Occupation', ja: '職業' },
      schema: z.string().trim().min(1).max(100),
      category: 'other',
      purposes: ['applicationPrefill'],
    },
  },
  collectionPoints: {
    ...spec.collectionPoints,
    courseApplication: {
      ...spec.collectionPoints.courseApplication,
      fields: [...spec.collectionPoints.courseApplication.fields, 'occupation'],
      optional: ['occupation'],
      purposes: [...spec.collectionPoints.courseApplication.purposes, 'newsletter'],
    },
  },
  vendors: {
    ...spec.vendors,
    newsletterService: {
      name: { en: 'E-mail delivery contractor', ja: 'メール配信の委託先' },
      description: { en: 'Sends the newsletter under contract.', ja: '契約に基づき、メールマガジンの配信を行います。' },
      role: 'contractor',
      fields: ['email'],
      purposes: ['newsletter'],
      contract: 'JI4PE-OUT-2021-02',
      country: 'US',
      // APPI Art. 28: a contractor abroad still needs consent (or an equivalent-measures system).
      // EXAMPLE DATA: the summary of the US system follows the Commission's published survey of foreign systems.
      foreign: {
        basis: 'consent',
        system: {
          en: 'The United States has no comprehensive federal law on the protection of personal information; federal laws cover particular sectors, and some states (such as California, with the CCPA) have general privacy laws. There is no independent authority corresponding to the Commission with general powers over personal information.',
          ja: '米国には、個人情報の保護に関する包括的な連邦法はなく、分野ごとの連邦法のほか、州によっては包括的な州法（カリフォルニア州消費者プライバシー法（CCPA）等）があります。個人情報保護委員会に相当する、個人情報の取扱い全般を監督する独立した機関はありません。',
        },
        measures: {
          en: 'The contractor is bound by contract to use the e-mail addresses only to send the newsletter, to keep them secure, not to entrust them further without the Institute’s approval and to delete them when the contract ends. It has taken measures corresponding to all eight OECD Privacy Principles.',
          ja: '委託先は、契約により、メールアドレスをメールマガジンの配信にのみ利用し、安全に管理し、当研究所の承認なく再委託せず、契約終了時に消去する義務を負っています。委託先は、OECDプライバシーガイドライン8原則に対応する措置をすべて講じています。',
        },
      },
    },
  },
  retainedData: {
    ...ji4peRetainedData,
    securityMeasures: {
      ...ji4peRetainedData.securityMeasures,
      externalEnvironment: [
        {
          country: 'US',
          measures: {
            en: 'The newsletter contractor stores e-mail addresses in the United States; the Institute has understood the US system for the protection of personal information and takes its security measures accordingly.',
            ja: 'メールマガジンの配信の委託先は米国においてメールアドレスを保管しており、当研究所は、米国における個人情報の保護に関する制度を把握した上で安全管理措置を講じています。',
          },
        },
      ],
    },
  },
});

const EXT: Readonly<Record<NoticeFormat, string>> = { text: 'txt', markdown: 'md', html: 'html' };

/**
 * Render every notice in every language and format into `outDir`.
 *
 * @returns the paths written
 */
export async function writeNotices(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const jobs: { name: string; policy: typeof ji4pePolicy | typeof ji4pePolicy2021; options: Omit<RenderNoticeOptions, 'lang' | 'format'> }[] = [
    { name: 'policy', policy: ji4pePolicy, options: { kind: 'policy' } },
    ...ji4pePolicy.collectionPointIds.map((id) => ({ name: `collection-${id}`, policy: ji4pePolicy, options: { kind: 'collection' as const, collectionPoint: id } })),
    { name: `policy-${ji4pePolicy2021.version}`, policy: ji4pePolicy2021, options: { kind: 'policy' } },
    { name: `change-${ji4pePolicy2021.version}`, policy: ji4pePolicy2021, options: { kind: 'change', previous: ji4pePolicy } },
  ];
  const written: string[] = [];
  for (const job of jobs) {
    for (const lang of LANGUAGES) {
      for (const format of NOTICE_FORMATS) {
        const body = renderNotice(job.policy, { ...job.options, lang, format, ...(format === 'html' ? { page: true } : {}) });
        const path = join(outDir, `${job.name}.${lang}.${EXT[format]}`);
        await writeFile(path, body, 'utf8');
        written.push(path);
      }
    }
  }
  return written;
}

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? join(here, 'out'));
  const written = await writeNotices(outDir);
  process.stdout.write(`Wrote ${written.length} notices to ${outDir}\n`);
}
