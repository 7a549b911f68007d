/**
 * Every error the SDK throws: one base class (`PurposeBoundError`), one stable `code` per
 * failure, one class per code, gathered in `src/errors/` (one file per class). This module
 * re-exports them so `../errors.js` keeps working inside the package.
 *
 * @module
 */
export * from './errors/index.js';
