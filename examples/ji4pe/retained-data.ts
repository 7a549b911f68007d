/**
 * EXAMPLE DATA — INVENTED. The matters on retained personal data that the Ji4pe policy
 * publishes under APPI Art. 32(1): the request procedure, the fees and the security control
 * measures taken. The seed policy does not state them; these are plausible values written for
 * the example, not the institute's. The address, representative and contact details in
 * `policy.ts` are invented too (an `.example` domain; the street number and the representative's
 * name are made up).
 */
import type { RetainedDataSpec } from 'purpose-bound';

const m = (en: string, ja: string) => ({ en, ja });

export const ji4peRetainedData = {
  requests: {
    submitTo: m(
      'By post to the Personal Information Contact Desk at the address above, or through the request form at https://ji4pe.example/privacy/requests.',
      '上記所在地の個人情報お問い合わせ窓口宛ての郵送、又は https://ji4pe.example/privacy/requests の請求フォームにより申し出てください。',
    ),
    form: m(
      'Use the Institute’s request form (downloadable from the website, or sent by post on request), stating the kind of request and the personal data concerned.',
      '当研究所所定の請求書（ウェブサイトからダウンロードできるほか、ご依頼により郵送します。）に、請求の種類及び対象となる保有個人データを記載してください。',
    ),
    identityVerification: m(
      'A copy of one official document showing your name and address (driving licence, My Number card — front side only — passport or residence card). For requests through the website, we confirm your identity with a one-time code sent to the e-mail address you registered.',
      '氏名及び住所が記載された公的書類（運転免許証、マイナンバーカード（表面のみ）、旅券又は在留カード）のいずれか1点の写しを同封してください。ウェブサイトからの請求の場合は、ご登録のメールアドレスに送付するワンタイムコードにより本人確認を行います。',
    ),
    agents: m(
      'A legal representative of a minor or an adult ward, or an agent the person has appointed, may make a request. Enclose a document showing the authority (a family register extract, or a power of attorney with the person’s seal certificate) and a copy of the agent’s own identity document.',
      '未成年者若しくは成年被後見人の法定代理人又は本人が委任した代理人による請求の場合は、代理権を証する書面（戸籍謄本又は本人の印鑑登録証明書を添付した委任状）及び代理人本人の本人確認書類の写しを同封してください。',
    ),
    delivery: m(
      'We answer in writing to the address you registered, or by the method of disclosure you chose, without delay and in principle within 14 days of receiving a complete request.',
      '不備のない請求を受け付けた日から原則として14日以内に、遅滞なく、ご登録の住所宛ての書面又はご指定の開示の方法により回答します。',
    ),
    disclosureMethods: ['electronic', 'paper'],
    fees: [
      {
        request: 'purposes-notification',
        amountJpy: 500,
        payment: m(
          'Enclose a postal money order (teigaku kogawase) with the request; requests through the website are free of charge.',
          '請求書に定額小為替を同封してお支払いください。ウェブサイトからの請求は無料です。',
        ),
        waivedChannels: ['web-form'],
      },
      {
        request: 'disclosure',
        amountJpy: 1000,
        payment: m(
          'Enclose a postal money order (teigaku kogawase) with the request; requests through the website are free of charge.',
          '請求書に定額小為替を同封してお支払いください。ウェブサイトからの請求は無料です。',
        ),
        waivedChannels: ['web-form'],
      },
      {
        request: 'provision-records',
        amountJpy: 1000,
        payment: m(
          'Enclose a postal money order (teigaku kogawase) with the request; requests through the website are free of charge.',
          '請求書に定額小為替を同封してお支払いください。ウェブサイトからの請求は無料です。',
        ),
        waivedChannels: ['web-form'],
      },
    ],
  },
  securityMeasures: {
    basicPolicy: [
      m(
        'The Institute has adopted this privacy policy as its basic policy for the proper handling of personal data, including compliance with the law and guidelines and a contact point for questions and complaints.',
        '個人データの適正な取扱いの確保のため、関係法令・ガイドライン等の遵守、質問及び苦情処理の窓口等について、本ポリシーを基本方針として策定しています。',
      ),
    ],
    rules: [
      m(
        'Internal rules set out, for each stage of acquisition, use, storage, provision, deletion and disposal, how personal data is handled, by whom, and who is responsible.',
        '取得、利用、保存、提供、削除・廃棄等の段階ごとに、取扱方法、責任者・担当者及びその任務等について個人データの取扱規程を策定しています。',
      ),
    ],
    organisational: [
      m(
        'A manager of personal information is appointed; the staff who handle personal data and the data they may handle are defined.',
        '個人データの取扱いに関する責任者を設置するとともに、個人データを取り扱う従業者及び当該従業者が取り扱う個人データの範囲を明確化しています。',
      ),
      m(
        'Every access to personal data is recorded in a tamper-evident log, reviewed in periodic internal audits.',
        '個人データへのアクセスはすべて改ざん検知可能な記録に残し、定期的な内部監査において点検しています。',
      ),
      m(
        'A reporting line is set up for staff who find a breach or a violation of the rules.',
        '法や取扱規程に違反している事実又は兆候を把握した場合の責任者への報告連絡体制を整備しています。',
      ),
    ],
    human: [
      m(
        'Staff receive training on the handling of personal data when they join and every year.',
        '個人データの取扱いに関する留意事項について、従業者に入所時及び年1回の研修を実施しています。',
      ),
      m('Confidentiality obligations on personal data are written into the rules of employment.', '個人データについての秘密保持に関する事項を就業規則に記載しています。'),
    ],
    physical: [
      m(
        'Rooms where personal data is handled have entry control; devices and paper records are locked away.',
        '個人データを取り扱う区域において入退室管理を行うとともに、機器及び書類を施錠して保管しています。',
      ),
      m(
        'Measures prevent the theft or loss of devices, electronic media and documents that hold personal data, including when they are taken out.',
        '個人データを取り扱う機器、電子媒体及び書類等の盗難又は紛失等を防止するための措置を講じ、持ち運ぶ場合も容易に個人データが判明しないよう措置しています。',
      ),
    ],
    technical: [
      m(
        'Access control limits each member of staff to the personal data their work needs, and every read names its purpose.',
        'アクセス制御により担当者及び取り扱う個人データの範囲を限定し、個人データの利用はすべて利用目的を特定して行っています。',
      ),
      m(
        'Personal data is encrypted at rest with a key per person; the website uses TLS encryption.',
        '個人データは本人ごとの鍵で暗号化して保存し、ウェブサイトではTLSによる暗号化通信を使用しています。',
      ),
      m(
        'Systems are protected against unauthorised access from outside and against malicious software.',
        '外部からの不正アクセス又は不正ソフトウェアから保護する仕組みを導入しています。',
      ),
    ],
  },
} satisfies RetainedDataSpec;
