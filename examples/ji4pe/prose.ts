/**
 * Localised prose of the ji4pe policy: the sections that are promises in words rather than
 * facts the SDK derives (e.g. §16 staff education). Keys are the notice renderer's section ids
 * (`NOTICE_SECTIONS` in `src/notices/sections.ts`) plus `preamble`.
 *
 * Sections §2, §3, §5, §9, §10 and §11 are not here: the renderer generates them from the
 * policy's facts (fields, collection points, purposes, exceptions, vendors) with its built-in
 * APPI wording. Format: paragraphs separated by a blank line; `- ` / `・` lines are list items.
 */
import type { Localized } from 'purpose-bound';

export const ji4peProse: Readonly<Record<string, Localized>> = {
  preamble: {
    en: 'The Japanese Institute for Public Engagement (Ji4pe) considers the protection and appropriate management of personal information to be its legal and social responsibility. To respect and protect the personal information provided to it, the Institute has established the following privacy policy.',
    ja: 'Japanese Institute for Public Engagement（以下「当研究所」といいます。）は、個人情報の保護及び適切な管理が当研究所の法的かつ社会的な責任であると考えています。当研究所は、ご提供いただいた個人情報を尊重し、保護するため、次のとおりプライバシーポリシーを定めます。',
  },
  // §1
  scope: {
    en: 'In this service, “personal information” means information about a living individual that can identify a specific individual by name, date of birth, address, telephone number, contact details or other description, as defined in the Act on the Protection of Personal Information. Personal information also includes information that cannot identify an individual on its own but can easily be collated with other information and thereby identify the individual.',
    ja: '本サービスにおいて「個人情報」とは、個人情報の保護に関する法律に定める個人情報をいい、生存する個人に関する情報であって、氏名、生年月日、住所、電話番号、連絡先その他の記述等により特定の個人を識別することができるものをいいます。当該情報のみでは特定の個人を識別できない場合であっても、他の情報と容易に照合することができ、それにより特定の個人を識別することができるものを含みます。',
  },
  // §4
  acquisition: {
    en: 'The Institute will acquire personal information by lawful and fair means. It will not acquire personal information by deception or other wrongful means.',
    ja: '当研究所は、適法かつ公正な手段により個人情報を取得します。偽りその他不正の手段により個人情報を取得することはありません。',
  },
  // §6
  accuracy: {
    en: 'The Institute will endeavour to keep personal information accurate and up to date to the extent necessary to achieve the purposes of use.',
    ja: '当研究所は、利用目的の達成に必要な範囲内において、個人情報を正確かつ最新の内容に保つよう努めます。',
  },
  // §7
  security: {
    en: [
      'To prevent unauthorised access to personal information and its loss, destruction, falsification or leakage, and otherwise to manage personal information securely, the Institute will take the necessary security measures and review them appropriately.',
      '',
      '- This website uses cookies to display the most appropriate content. Cookies do not contain any information that identifies you as an individual.',
      '- This website uses SSL (Secure Sockets Layer) encryption and other security measures to keep personal information safe when it is registered.',
    ].join('\n'),
    ja: [
      '当研究所は、個人情報への不正アクセス並びに個人情報の漏えい、滅失、毀損及び改ざんを防止し、その他個人情報を安全に管理するため、必要な安全管理措置を講じ、これを適切に見直します。',
      '',
      '・当ウェブサイトでは、最適なコンテンツを表示するためにクッキー（Cookie）を使用しています。クッキーには、個人を特定する情報は含まれません。',
      '・当ウェブサイトでは、個人情報をご登録いただく際の安全を確保するため、SSL（Secure Sockets Layer）による暗号化その他のセキュリティ対策を講じています。',
    ].join('\n'),
  },
  // §8
  staff: {
    en: 'The Institute will exercise necessary and appropriate supervision over the persons in charge of handling personal information, so that the information is managed securely.',
    ja: '当研究所は、個人情報の安全管理が図られるよう、個人情報を取り扱う従業者に対して必要かつ適切な監督を行います。',
  },
  // §12
  correction: {
    en: 'When a registrant requests the correction, addition or deletion (“correction, etc.”) of their personal information, the Institute will, after verifying the registrant’s identity and completing the other prescribed procedures, investigate without delay in accordance with its procedures and, based on the results, make the necessary correction, etc. to a reasonable extent.',
    ja: '当研究所は、ご本人から、ご自身の個人情報の訂正、追加又は削除（以下「訂正等」といいます。）を求められた場合は、本人確認その他所定の手続を経たうえで、遅滞なく必要な調査を行い、その結果に基づき、合理的な範囲で必要な訂正等を行います。',
  },
  // §13
  suspension: {
    en: 'When a registrant requests the suspension of use or the erasure (“suspension of use, etc.”) of their personal information, the Institute will investigate without delay and, if the request is found to be justified, suspend the use. However, where suspending the use is difficult because of high cost or for other reasons, and alternative measures necessary to protect the rights and interests of the person can be taken, the Institute will take those alternative measures instead.',
    ja: '当研究所は、ご本人から、ご自身の個人情報の利用の停止又は消去（以下「利用停止等」といいます。）を求められた場合は、遅滞なく必要な調査を行い、その求めに理由があることが判明したときは、利用停止等を行います。ただし、利用停止等に多額の費用を要する場合その他の利用停止等を行うことが困難な場合であって、本人の権利利益を保護するため必要なこれに代わるべき措置をとることができるときは、その代わるべき措置をとります。',
  },
  // §14 (the contact point itself is generated from controller.contact)
  contact: {
    en: 'The Institute will respond appropriately and promptly to requests from registrants for disclosure, correction, etc. and suspension of use, etc. of their personal information, and to their inquiries, opinions and complaints, taking their views seriously. Please contact:',
    ja: '当研究所は、個人情報に関するご本人からの開示、訂正等及び利用停止等の請求並びにお問い合わせ、ご意見及び苦情に対し、ご本人の声を真摯に受け止め、適切かつ迅速に対応します。お問い合わせ先は、次のとおりです。',
  },
  // §15
  organisation: {
    en: 'The Institute will appoint a manager of personal information and take the measures necessary to protect personal information. The Institute will also conduct internal audits periodically to confirm that personal information is handled appropriately, and will strive to maintain and improve the protection of personal information.',
    ja: '当研究所は、個人情報保護管理者を任命し、個人情報の保護のために必要な措置を講じます。また、個人情報が適切に取り扱われていることを確認するため、定期的に内部監査を実施し、個人情報の保護の維持及び改善に努めます。',
  },
  // §16
  education: {
    en: 'The Institute will educate and inform its directors and staff about the importance of personal information and its proper handling, and make sure that all necessary measures are taken.',
    ja: '当研究所は、役員及び職員に対し、個人情報の重要性及びその適正な取扱いについて教育及び啓発を行い、必要な措置が確実に講じられるようにします。',
  },
  // §17
  compliance: {
    en: 'The Institute will comply with the laws, regulations and guidelines on the protection of personal information. It will also establish and comply with the internal rules necessary to protect personal information.',
    ja: '当研究所は、個人情報の保護に関する法令、規範及びガイドラインを遵守します。また、個人情報の保護のために必要な内部規程を定め、これを遵守します。',
  },
  // §18
  changes: {
    en: 'The contents of this policy may be changed without prior notice to users. A change of the purposes of use, however, is notified or announced as described under “Notification of the purpose of use upon acquisition”, and the consent of the person is obtained where the law requires it. Unless otherwise specified by the Institute, the revised privacy policy takes effect when it is posted on this website.',
    ja: '本ポリシーの内容は、利用者に事前に通知することなく変更することがあります。ただし、利用目的を変更する場合は、「取得に際しての利用目的の通知等」に定めるとおり本人に通知し、又は公表するとともに、法令上必要な場合は本人の同意を得ます。変更後のプライバシーポリシーは、当研究所が別途定める場合を除き、本ウェブサイトに掲載した時から効力を生じます。',
  },
};
