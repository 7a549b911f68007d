/**
 * `purpose-bound/notices`: notices generated from the policy (the notice at collection, the full
 * privacy policy, the change notice) in English and Japanese, as text, Markdown or HTML, and the
 * policy diff behind the change notice. The same exports are also available from the package
 * root.
 *
 * @module purpose-bound/notices
 */
export * from '../notices/index.js';
