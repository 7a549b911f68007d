/**
 * The CLI's link to the notice renderer (`src/notices`): `renderNotice` for every notice and
 * `diffPolicies` for `diff --format json` and `--exit-code`. Kept in one file so the commands do
 * not depend on the renderer's module layout.
 *
 * @module
 */
import type { Lang } from '../i18n.js';
import { diffPolicies, renderNotice, type NoticeFormat, type NoticeKind, type PolicyDiff } from '../notices/index.js';
import type { AnyPolicy } from '../policy/define-policy.js';

export type { NoticeFormat, NoticeKind, PolicyDiff };

/** What the `notices` and `diff` commands ask the renderer for. */
export interface NoticeRequest {
  readonly kind: NoticeKind;
  readonly lang: Lang;
  readonly format: NoticeFormat;
  readonly collectionPoint?: string | undefined;
  readonly previous?: AnyPolicy | undefined;
  readonly fullPage?: boolean | undefined;
  /** `policy` only: leave out sections whose prose the policy lacks instead of failing. */
  readonly omitMissingProse?: boolean | undefined;
}

/**
 * Render one notice.
 *
 * @throws the renderer's named errors (a missing translation or prose, unrelated policies) before any output
 */
export function renderPolicyNotice(policy: AnyPolicy, request: NoticeRequest): string {
  return renderNotice(policy, {
    kind: request.kind,
    lang: request.lang,
    format: request.format,
    ...(request.collectionPoint !== undefined && { collectionPoint: request.collectionPoint }),
    ...(request.previous !== undefined && { previous: request.previous }),
    ...(request.format === 'html' && request.fullPage === true && { page: true }),
    ...(request.kind === 'policy' && request.omitMissingProse === true && { omitMissingProse: true }),
  });
}

/** The structured difference between two policy versions, and whether they differ. */
export function diffPolicyVersions(previous: AnyPolicy, next: AnyPolicy): { readonly diff: PolicyDiff; readonly changed: boolean } {
  const diff = diffPolicies(previous, next);
  return { diff, changed: diff.changed };
}
