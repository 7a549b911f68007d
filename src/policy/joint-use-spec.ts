/**
 * Joint use (共同利用, APPI Art. 27(5)(iii)) and opt-out provision to third parties
 * (オプトアウトによる第三者提供, Art. 27(2)-(4)) as facts of a vendor.
 *
 * @module
 */
import type { Localized } from '../i18n.js';

/**
 * A vendor of role `joint-user`: personal data used jointly with specified others. Not a
 * provision to a third party if the person was told in advance, or it was made readily
 * accessible to them: the fact of joint use, the items of data (the vendor's `fields`), the
 * scope of the joint users, their purposes (the vendor's `purposes`), and the name, address
 * and representative of the one responsible for managing the data.
 *
 * @example
 * ```ts
 * const jointUse: JointUseSpec = {
 *   users: { en: 'The Institute and the Kansai Public Engagement Network (its member institutes listed at https://kpen.example/members)', ja: '当研究所及び関西パブリックエンゲージメントネットワーク（会員機関は https://kpen.example/members に掲載）' },
 *   responsible: { name: { en: 'Ji4pe', ja: 'Ji4pe' }, address: { en: 'Tokyo', ja: '東京都' }, representative: { en: 'Hanako Suzuki, President', ja: '理事長 鈴木花子' } },
 * };
 * ```
 */
export interface JointUseSpec {
  /** The scope of the joint users (共同して利用する者の範囲). */
  readonly users: Localized;
  /** The one responsible for managing the data (責任を有する者): name, address, representative. */
  readonly responsible: { readonly name: Localized; readonly address: Localized; readonly representative: Localized };
}

/**
 * Opt-out provision to a third-party vendor (Art. 27(2)): provided without consent, the person
 * being able to have it stopped, after the operator told the person or made readily available
 * the items of Art. 27(2) and filed them with the Commission. Never for special
 * care-required data, data acquired by deception, or data itself received by opt-out.
 *
 * @example
 * ```ts
 * const optOut: OptOutSpec = {
 *   filedWithPpc: '2020-08-20',
 *   acquisition: { en: 'Application forms.', ja: '申込書による取得。' },
 *   method: { en: 'Sent as an encrypted file.', ja: '暗号化した電子ファイルにより送付。' },
 *   stopRequests: { en: 'Through the request form or by post to the contact point.', ja: '請求フォーム又はお問い合わせ窓口への郵送により受け付けます。' },
 * };
 * ```
 */
export interface OptOutSpec {
  /** When the items were filed with the Commission (YYYY-MM-DD, Art. 27(2)). */
  readonly filedWithPpc: string;
  /** How the operator acquired the data provided (取得の方法, Art. 27(2)(iv)). */
  readonly acquisition: Localized;
  /** How the data is provided (提供の方法, 27(2)(v)). */
  readonly method: Localized;
  /** How a request to stop is received (本人の求めを受け付ける方法, 27(2)(vii)). */
  readonly stopRequests: Localized;
  /** How and when the provided data is updated (Rules Art. 11(4)), if it is. */
  readonly updates?: Localized;
}
