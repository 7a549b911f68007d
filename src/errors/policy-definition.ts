/**
 * `PolicyDefinitionError`: code `POLICY_INVALID`.
 *
 * @module
 */
import { PurposeBoundError } from './base.js';

/**
 * One problem found in a policy spec. `path` points into the spec, e.g. `fields.email.purposes[1]`.
 *
 * @example
 * ```ts
 * import { definePolicy, PolicyDefinitionError, type PolicyIssue } from 'purpose-bound';
 *
 * let issues: readonly PolicyIssue[] = [];
 * try {
 *   definePolicy(spec);
 * } catch (error) {
 *   if (error instanceof PolicyDefinitionError) issues = error.issues;
 * }
 * // e.g. [{ path: 'fields.email.purposes[1]', message: '...' }]
 * ```
 */
export interface PolicyIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * `definePolicy` found problems in the spec. Lists every problem at once, each with its path.
 *
 * @example
 * ```ts
 * try { definePolicy(spec); } catch (e) {
 *   if (e instanceof PolicyDefinitionError) for (const i of e.issues) console.error(i.path, i.message);
 * }
 * ```
 */
export class PolicyDefinitionError extends PurposeBoundError {
  readonly issues: readonly PolicyIssue[];
  constructor(issues: readonly PolicyIssue[]) {
    super('POLICY_INVALID', `Invalid policy: ${issues.length} problem(s):\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.issues = Object.freeze([...issues]);
  }
}
