/**
 * Name-based UUIDs (RFC 9562 version 5, SHA-1 via node:crypto): the same names always give
 * the same UUID, so exporting a record or receipt twice gives the same identifier.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** The namespace of purpose-bound's identifiers (a fixed random UUID). */
const NAMESPACE = Buffer.from('6f1d3c2a8b6e4f0a9c5d7e21b3a4c9f0', 'hex');

/** @internal A version-5 UUID of the parts (joined with NUL, so parts cannot run together). */
export function nameUuid(...parts: readonly string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u0000'), 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
