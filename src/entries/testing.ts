/**
 * `purpose-bound/testing`: the storage adapter conformance suite, for vitest. `vitest` is a
 * development dependency of the project that runs the suite; it is not bundled.
 *
 * @module
 */
export { CONFORMANCE_PARTS, runAdapterConformance, type AdapterConformanceOptions, type ConformancePart } from '../testing/conformance/index.js';
export { conformancePolicy } from '../testing/conformance-policy.js';
export { runRequestsSuite, type RequestsSuiteOptions } from '../testing/requests-suite.js';
export { requestsPolicy } from '../testing/requests-policy.js';
