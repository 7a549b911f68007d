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
    en: 'The Institute will endeavour to keep personal data accurate and up to date to the extent necessary to achieve the purposes of use, and to erase personal data without delay once it no longer needs to use it.',
    ja: '当研究所は、利用目的の達成に必要な範囲内において、個人データを正確かつ最新の内容に保つとともに、利用する必要がなくなったときは、当該個人データを遅滞なく消去するよう努めます。',
  },
  // §7
  security: {
    en: [
      'To prevent the leakage, loss or damage of personal data and otherwise to manage personal data securely, the Institute takes the necessary and appropriate measures and reviews them appropriately.',
      '',
      'This website uses cookies to display the most appropriate content. Cookies do not contain any information that identifies you as an individual.',
    ].join('\n'),
    ja: [
      '当研究所は、個人データの漏えい、滅失又は毀損の防止その他の個人データの安全管理のため、必要かつ適切な措置を講じ、これを適切に見直します。',
      '',
      'なお、当ウェブサイトでは、最適なコンテンツを表示するためにクッキー（Cookie）を使用しています。クッキーには、個人を特定する情報は含まれません。',
    ].join('\n'),
  },
  // §8
  staff: {
    en: 'When the Institute has its staff handle personal data, it will exercise necessary and appropriate supervision over them so that the personal data is managed securely.',
    ja: '当研究所は、従業者に個人データを取り扱わせるに当たっては、当該個人データの安全管理が図られるよう、当該従業者に対する必要かつ適切な監督を行います。',
  },
  // §12
  correction: {
    en: 'When a person requests, on the ground that the content of retained personal data by which they are identified is not true, the correction, addition or deletion (“correction, etc.”) of that content, the Institute will, after verifying their identity and completing the other prescribed procedures, investigate without delay to the extent necessary to achieve the purposes of use and, based on the results, correct, etc. the content of the retained personal data. When it has made the correction, etc., or has decided not to, it will notify the person without delay (with the content of the correction, etc., where it made one).',
    ja: '当研究所は、ご本人から、当該本人が識別される保有個人データの内容が事実でないという理由によって当該保有個人データの内容の訂正、追加又は削除（以下「訂正等」といいます。）を求められた場合は、本人確認その他所定の手続を経たうえで、利用目的の達成に必要な範囲内において、遅滞なく必要な調査を行い、その結果に基づき、当該保有個人データの内容の訂正等を行います。訂正等を行ったとき、又は訂正等を行わない旨の決定をしたときは、ご本人に対し、遅滞なく、その旨（訂正等を行ったときは、その内容を含みます。）を通知します。',
  },
  // §13
  suspension: {
    en: [
      'When a person requests the suspension of use or the erasure (“suspension of use, etc.”) of retained personal data by which they are identified, or that its provision to third parties be stopped, on one of the following grounds, the Institute will investigate without delay and, if the request is found to be justified, suspend the use, etc. or stop the provision to the extent necessary to prevent harm to the rights and interests of the person:',
      '',
      '- the data is handled beyond the extent necessary to achieve the purposes of use, is used inappropriately, or was acquired by deception or other wrongful means (APPI Art. 35(1));',
      '- the data is provided to a third party without the person’s consent, or to a third party in a foreign country in breach of Art. 28 (stopping provision, Art. 35(3));',
      '- the Institute no longer needs to use the data, a leakage or similar incident has occurred, or its handling is otherwise likely to harm the rights or legitimate interests of the person (Art. 35(5)).',
      '',
      'However, where suspending the use, etc. or stopping the provision would cost a great deal or is otherwise difficult, and the Institute takes the alternative measures necessary to protect the rights and interests of the person, it will take those alternative measures instead. When it has suspended the use, etc. or stopped the provision, or has decided not to, it will notify the person without delay.',
    ].join('\n'),
    ja: [
      '当研究所は、ご本人から、当該本人が識別される保有個人データについて、次のいずれかの理由により、その利用の停止若しくは消去（以下「利用停止等」といいます。）又は第三者への提供の停止を求められた場合は、遅滞なく必要な調査を行い、その求めに理由があることが判明したときは、本人の権利利益の侵害を防止するために必要な限度で、利用停止等又は第三者への提供の停止を行います。',
      '',
      '・利用目的の達成に必要な範囲を超えて取り扱われているとき、不適正な利用が行われているとき、又は偽りその他不正の手段により取得されたものであるとき（法第35条第1項）',
      '・本人の同意なく第三者に提供されているとき、又は法第28条の規定に違反して外国にある第三者に提供されているとき（第三者への提供の停止、同条第3項）',
      '・当研究所が利用する必要がなくなったとき、漏えい等の事態が生じたとき、その他本人の権利又は正当な利益が害されるおそれがあるとき（同条第5項）',
      '',
      'ただし、利用停止等又は第三者への提供の停止に多額の費用を要する場合その他これを行うことが困難な場合であって、本人の権利利益を保護するため必要なこれに代わるべき措置をとるときは、その代わるべき措置をとります。利用停止等若しくは第三者への提供の停止を行ったとき、又はこれらを行わない旨の決定をしたときは、ご本人に対し、遅滞なく、その旨を通知します。',
    ].join('\n'),
  },
  // §14 (the contact point itself is generated from controller.contact)
  contact: {
    en: 'The Institute will respond appropriately and promptly to requests from persons concerning their retained personal data — for notification of the purposes of use, disclosure, correction, etc., suspension of use, etc. and stopping provision to third parties — and to inquiries, opinions and complaints about its handling of personal information, taking their views seriously. Please contact:',
    ja: '当研究所は、保有個人データに関するご本人からの利用目的の通知、開示、訂正等、利用停止等及び第三者への提供の停止の請求並びに個人情報の取扱いに関するお問い合わせ、ご意見及び苦情に対し、ご本人の声を真摯に受け止め、適切かつ迅速に対応します。お問い合わせ先は、次のとおりです。',
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
