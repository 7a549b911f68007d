/**
 * The privacy policy of the Japanese Institute for Public Engagement (Ji4pe), modelled as code
 * from `shared/seed/privacy-policy.txt` (September 2020). Every promise of its 18 sections is
 * either a fact here (purposes, fields, collection points, vendors, exceptions, contact point,
 * effective date) or localised prose in `prose.ts` that the notices render.
 *
 * Section map (see docs/appi-mapping.md):
 * - §1 scope: every field has a category; quasi-identifiers are wrapped like the rest.
 * - §2 collection: the three collection points below.
 * - §3 purposes: purposes 1–6 below; §3.7 "incidental purposes" as children of their parent
 *   purpose; the exceptions (law; life, body or property) as `exceptions` and as two
 *   `outside` purposes reachable only through readOutsidePurpose.
 * - §9 outsourced vendors: contractors with contract references.
 * - §10 third parties: the insurer, a third party, receives data only with consent or under an exception.
 * - §11 entrusted data: the `entrustedSeminar` collection point (source `entrusted`).
 */
import { z } from 'zod';
import { definePolicy } from 'purpose-bound';
import { ji4peProse } from './prose.js';
import { ji4peRetainedData } from './retained-data.js';

/** Japanese personal names and addresses are free text; keep the rules to shape, not content. */
const name = z.string().trim().min(1).max(100);
const phone = z.string().regex(/^\+?[0-9][0-9\- ]{6,18}[0-9]$/, 'phone number');

export const ji4pePolicy = definePolicy({
  id: 'ji4pe',
  version: '2020-09',
  effective: '2020-09-01',
  title: { en: 'Ji4pe Privacy Policy', ja: 'Ji4pe プライバシーポリシー（個人情報保護方針）' },
  url: 'https://ji4pe.example/privacy',
  controller: {
    name: { en: 'Japanese Institute for Public Engagement (Ji4pe)', ja: 'Japanese Institute for Public Engagement（Ji4pe）' },
    shortName: { en: 'the Institute', ja: '当研究所' },
    // EXAMPLE DATA (invented): the seed policy gives no address or representative (APPI Art. 32(1)(i)).
    address: { en: '2-3-4 Kanda-Nishikicho, Chiyoda-ku, Tokyo 101-0054, Japan', ja: '〒101-0054 東京都千代田区神田錦町二丁目3番4号' },
    representative: { en: 'Hanako Suzuki, President', ja: '理事長 鈴木花子' },
    contact: {
      department: { en: 'Personal Information Contact Desk', ja: '個人情報お問い合わせ窓口' },
      email: 'privacy@ji4pe.example',
      url: 'https://ji4pe.example/privacy',
    },
  },
  purposes: {
    contact: {
      title: { en: 'Informing and contacting users', ja: 'ご案内及びご連絡' },
      description: {
        en: 'For the purpose of using contact information and names to inform and contact users.',
        ja: '連絡先及び氏名を利用して、利用者へのご案内及びご連絡を行うため。',
      },
      basis: 'contract',
      retention: 'P3Y',
      dpv: 'dpv:CommunicationManagement',
    },
    identification: {
      title: { en: 'Identification, authentication, billing and invoicing', ja: '本人確認、認証、請求及び請求書の発行' },
      description: {
        en: 'To use information such as name, date of birth, address, and telephone number for the purpose of identification, authentication, billing, and invoicing of the user.',
        ja: '氏名、生年月日、住所、電話番号等の情報を、利用者の本人確認、認証、請求及び請求書の発行のために利用するため。',
      },
      basis: 'contract',
      retention: 'P7Y',
      dpv: ['dpv:IdentityVerification', 'dpv:IdentityAuthentication', 'dpv:PaymentManagement'],
    },
    eventInsurance: {
      title: { en: 'Event insurance', ja: 'イベント保険' },
      description: {
        en: 'To use the information necessary to purchase event insurance, etc., when it is deemed necessary to do so in order to carry out the business for which the user has applied.',
        ja: '利用者が申し込まれた事業の実施のために必要と認められる場合に、イベント保険等の加入に必要な情報を利用するため。',
      },
      basis: 'contract',
      retention: 'P3Y',
      dpv: 'dpv:RequestedServiceProvision',
    },
    applicationPrefill: {
      title: { en: 'Easier applications', ja: 'お申込みの簡略化' },
      description: {
        en: 'To use the information registered with the Institute in order to make it easier for users to apply for learning courses and events, and to eliminate the need to enter information.',
        ja: '当研究所に登録された情報を利用して、講座及びイベントへのお申込みを容易にし、情報の再入力を不要とするため。',
      },
      basis: 'consent',
      retention: 'P2Y',
      dpv: 'dpv:ServicePersonalisation',
      dpvBasis: 'dpv:ExpressedConsent',
    },
    abusePrevention: {
      title: { en: 'Refusing improper use', ja: '不正利用の防止' },
      description: {
        en: 'To use the information to identify individuals, such as the type of use, name, and address, in order to refuse the use of users who have violated the terms of use of the service or who are trying to use the service for unfair or improper purposes.',
        ja: '利用規約に違反した利用者又は不正若しくは不当な目的でサービスを利用しようとする利用者の利用をお断りするため、利用形態、氏名、住所等の個人を識別するための情報を利用するため。',
      },
      basis: 'legitimate-interests',
      retention: 'P5Y',
      dpv: ['dpv:FraudPreventionAndDetection', 'dpv:MisusePreventionAndDetection'],
    },
    inquiryResponse: {
      title: { en: 'Responding to inquiries', ja: 'お問い合わせへの対応' },
      description: {
        en: 'To use information necessary to respond to inquiries from users, service usage status, contact information, etc.',
        ja: '利用者からのお問い合わせに対応するため、サービスの利用状況、連絡先等の必要な情報を利用するため。',
      },
      basis: 'legitimate-interests',
      retention: 'P1Y',
      dpv: 'dpv:CommunicationForCustomerCare',
    },
    // §3.7 "Purposes incidental to the above purposes of use": each hangs under its parent, so
    // a field allowed for the parent is allowed for it.
    courseMaterials: {
      title: { en: 'Sending course materials and certificates', ja: '教材及び修了証の送付' },
      description: {
        en: 'Sending course materials and certificates of completion, incidental to informing and contacting users.',
        ja: 'ご案内及びご連絡に付随して、教材及び修了証を送付するため。',
      },
      basis: 'contract',
      retention: 'P3Y',
      dpv: 'dpv:DeliveryOfGoods',
      parent: 'contact',
    },
    receipts: {
      title: { en: 'Issuing receipts', ja: '領収書の発行' },
      description: {
        en: 'Issuing receipts, incidental to billing and invoicing.',
        ja: '請求及び請求書の発行に付随して、領収書を発行するため。',
      },
      basis: 'contract',
      retention: 'P7Y',
      dpv: 'dpv:PaymentManagement',
      parent: 'identification',
    },
    entrustedOperation: {
      title: { en: 'Entrusted operations', ja: '受託業務の遂行' },
      description: {
        en: 'Personal information obtained through entrusted operations is used only for the purpose of performing the relevant operations.',
        ja: '委託を受けて取得した個人情報は、当該委託業務の遂行の目的の範囲内でのみ利用します。',
      },
      basis: 'contract',
      retention: 'P1Y',
      dpv: 'dpv:ServiceProvision',
    },
    // §3 exceptions: uses outside the purposes above that need no consent.
    legalCompliance: {
      title: { en: 'Responding as required by law', ja: '法令に基づく対応' },
      description: {
        en: 'Use or provision of personal information when required by law.',
        ja: '法令に基づき個人情報を利用し、又は提供する場合。',
      },
      basis: 'legal-obligation',
      retention: 'P3Y',
      dpv: 'dpv:LegalCompliance',
      scope: 'outside',
    },
    emergency: {
      title: { en: 'Protecting life, body or property', ja: '人の生命、身体又は財産の保護' },
      description: {
        en: "Use or provision of personal information when necessary to protect a person's life, body or property and it is difficult to obtain the person's consent.",
        ja: '人の生命、身体又は財産の保護のために必要がある場合であって、本人の同意を得ることが困難であるとき。',
      },
      basis: 'vital-interests',
      retention: 'P3Y',
      dpv: 'dpv:Purpose',
      dpvBasis: 'dpv:VitalInterestOfNaturalPerson',
      scope: 'outside',
    },
  },
  fields: {
    name: {
      title: { en: 'Name', ja: '氏名' },
      schema: name,
      category: 'identifier',
      dpv: 'pd:Name',
      purposes: ['contact', 'identification', 'eventInsurance', 'applicationPrefill', 'abusePrevention', 'inquiryResponse', 'entrustedOperation'],
    },
    dateOfBirth: {
      title: { en: 'Date of birth', ja: '生年月日' },
      schema: z.iso.date(),
      category: 'quasi-identifier',
      dpv: 'pd:BirthDate',
      purposes: ['identification', 'eventInsurance', 'applicationPrefill'],
    },
    address: {
      title: { en: 'Address', ja: '住所' },
      schema: z.string().trim().min(1).max(300),
      category: 'contact',
      dpv: 'pd:PhysicalAddress',
      purposes: ['contact', 'identification', 'applicationPrefill', 'abusePrevention'],
    },
    phone: {
      title: { en: 'Telephone number', ja: '電話番号' },
      schema: phone,
      category: 'contact',
      dpv: 'pd:TelephoneNumber',
      purposes: ['contact', 'identification', 'applicationPrefill', 'inquiryResponse'],
    },
    email: {
      title: { en: 'E-mail address', ja: 'メールアドレス' },
      schema: z.email().max(254),
      category: 'contact',
      dpv: 'pd:EmailAddress',
      purposes: ['contact', 'applicationPrefill', 'inquiryResponse', 'entrustedOperation'],
      lookup: true,
    },
    inquiry: {
      title: { en: 'Content of the inquiry', ja: 'お問い合わせ内容' },
      schema: z.string().trim().min(1).max(5000),
      category: 'other',
      dpv: 'pd:Communication',
      purposes: ['inquiryResponse'],
    },
  },
  collectionPoints: {
    courseApplication: {
      title: { en: 'Application for a study course', ja: '講座のお申込み' },
      fields: ['name', 'dateOfBirth', 'address', 'phone', 'email'],
      purposes: ['contact', 'identification', 'applicationPrefill', 'abusePrevention'],
    },
    eventApplication: {
      title: { en: 'Application for an event', ja: 'イベントのお申込み' },
      fields: ['name', 'dateOfBirth', 'address', 'phone', 'email'],
      purposes: ['contact', 'identification', 'eventInsurance', 'applicationPrefill', 'abusePrevention'],
    },
    inquiry: {
      title: { en: 'Inquiry', ja: 'お問い合わせ' },
      fields: ['name', 'email', 'phone', 'inquiry'],
      optional: ['phone'],
      purposes: ['inquiryResponse'],
    },
    entrustedSeminar: {
      title: { en: 'Seminar run on behalf of a client organisation', ja: '受託セミナーの参加受付' },
      description: {
        en: 'Participant lists received from a client organisation that entrusted the Institute with running a seminar.',
        ja: '当研究所にセミナーの運営を委託した団体から受け取る参加者名簿。',
      },
      fields: ['name', 'email'],
      purposes: ['entrustedOperation'],
      source: 'entrusted',
    },
  },
  vendors: {
    eventInsurer: {
      name: { en: 'Event insurance underwriter', ja: 'イベント保険の引受保険会社' },
      description: {
        en: 'Receives the participants’ names and dates of birth to insure an event.',
        ja: 'イベントに保険を付けるため、参加者の氏名及び生年月日を受け取ります。',
      },
      role: 'third-party',
      fields: ['name', 'dateOfBirth'],
      purposes: ['eventInsurance'],
      country: 'JP',
    },
    mailingService: {
      name: { en: 'Printing and mailing contractor', ja: '印刷及び発送の委託先' },
      description: {
        en: 'Prints and mails course materials and certificates under contract.',
        ja: '契約に基づき、教材及び修了証の印刷及び発送を行います。',
      },
      role: 'contractor',
      fields: ['name', 'address'],
      purposes: ['courseMaterials'],
      contract: 'JI4PE-OUT-2020-03',
      country: 'JP',
    },
    paymentProcessor: {
      name: { en: 'Payment processing contractor', ja: '決済代行の委託先' },
      description: {
        en: 'Processes course and event fees under contract.',
        ja: '契約に基づき、受講料及び参加費の決済を代行します。',
      },
      role: 'contractor',
      fields: ['name', 'email', 'phone'],
      purposes: ['identification', 'contact'],
      contract: 'JI4PE-OUT-2020-07',
      country: 'JP',
    },
  },
  exceptions: ['law', 'life-body-property'],
  provisionRecordRetention: 'P3Y',
  prose: ji4peProse,
  // APPI Art. 32(1): request procedure, fees, security measures (example data, see retained-data.ts).
  retainedData: ji4peRetainedData,
});

/** The ji4pe policy's type, for functions that take it. */
export type Ji4pePolicy = typeof ji4pePolicy;
