/**
 * `purpose-bound/testing`: the storage adapter conformance suite, for vitest. `vitest` (4.x) is
 * an optional peer dependency: install it in the project that runs the suite
 * (`npm install -D vitest`); it is not bundled, and nothing else in the package needs it.
 *
 * @module purpose-bound/testing
 */
export { CONFORMANCE_PARTS, runAdapterConformance, type AdapterConformanceOptions, type ConformancePart } from '../testing/conformance/index.js';
export { conformancePolicy } from '../testing/conformance-policy.js';
export { runRequestsSuite, type RequestsSuiteOptions } from '../testing/requests-suite.js';
export { requestsPolicy } from '../testing/requests-policy.js';
