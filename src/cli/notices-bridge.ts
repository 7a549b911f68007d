/**
 * The CLI's link to the notice renderer (`src/notices`). Kept in one file so the commands do not
 * depend on the renderer's module layout.
 *
 * @module
 */
import type { Lang } from '../i18n.js';
import type { AnyPolicy } from '../policy/define-policy.js';
import { CliFeatureError } from './errors.js';

/** Formats the notice renderer writes. */
export type NoticeFormat = 'text' | 'markdown' | 'html';
/** Kinds of notice. */
export type NoticeKind = 'collection' | 'policy' | 'change';

/** What the `notices` command asks the renderer for. */
export interface NoticeRequest {
  readonly kind: NoticeKind;
  readonly lang: Lang;
  readonly format: NoticeFormat;
  readonly collectionPoint?: string | undefined;
  readonly previous?: AnyPolicy | undefined;
  readonly fullPage?: boolean | undefined;
}

/** Render one notice. */
export function renderPolicyNotice(_policy: AnyPolicy, _request: NoticeRequest): string {
  throw new CliFeatureError('notices', 'needs the notice renderer (src/notices), which this build does not include yet');
}

/** The structured difference between two policy versions, and whether they differ. */
export function diffPolicyVersions(_previous: AnyPolicy, _next: AnyPolicy): { readonly diff: unknown; readonly changed: boolean } {
  throw new CliFeatureError('diff', 'needs diffPolicies (src/notices), which this build does not include yet');
}
