/**
 * SHA-256 hex digest via node:crypto; uses the one-shot `crypto.hash` where the runtime has it
 * (about 5x faster than `createHash` for short inputs).
 *
 * @module
 */
import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: string, encoding: 'hex') => string;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

/** @internal */
export const sha256Hex: (data: string) => string = oneShot ? (data) => oneShot('sha256', data, 'hex') : (data) => crypto.createHash('sha256').update(data).digest('hex');
