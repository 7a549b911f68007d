/**
 * The plaintext encoding of stored values: V8's structured-clone serialisation (`v8.serialize`,
 * so numbers, dates, arrays and plain objects keep their types), with strings (most personal
 * values: names, addresses, e-mail addresses) written and read directly in the same format.
 * `v8.serialize` builds a native serializer object per call; for a short string that was half
 * of a value's encryption.
 *
 * The format of a string (V8 ValueSerializer, version 15, what Node's `v8.serialize` writes):
 * `FF 0F`, then either `22`, the length as a varint and the Latin-1 bytes (every code unit
 * ≤ U+00FF), or `63`, the byte length as a varint and the UTF-16LE code units, preceded by one
 * `00` padding byte when that would otherwise start the code units at an odd offset. Anything
 * else (another value, another layout) goes through `v8.serialize` / `v8.deserialize`, which
 * read every layout V8 ever wrote.
 *
 * @module
 */
import { deserialize, serialize } from 'node:v8';

const HEADER = 0xff;
const VERSION = 0x0f;
const ONE_BYTE = 0x22;
const TWO_BYTE = 0x63;
const PADDING = 0x00;

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

function writeVarint(out: Buffer, at: number, n: number): number {
  let i = at;
  while (n >= 0x80) {
    out[i++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[i++] = n;
  return i;
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/** @internal the string as `v8.serialize` writes it (see the module comment). */
export function encodeString(s: string): Buffer {
  if (isLatin1(s)) {
    const out = Buffer.allocUnsafeSlow(3 + varintSize(s.length) + s.length);
    out[0] = HEADER;
    out[1] = VERSION;
    out[2] = ONE_BYTE;
    out.write(s, writeVarint(out, 3, s.length), 'latin1');
    return out;
  }
  const bytes = s.length * 2;
  const padding = (2 + 1 + varintSize(bytes)) % 2;
  const out = Buffer.allocUnsafeSlow(2 + padding + 1 + varintSize(bytes) + bytes);
  out[0] = HEADER;
  out[1] = VERSION;
  if (padding === 1) out[2] = PADDING;
  out[2 + padding] = TWO_BYTE;
  out.write(s, writeVarint(out, 3 + padding, bytes), 'utf16le');
  return out;
}

/** @internal `value`'s plaintext encoding (throws what `v8.serialize` throws for what it cannot clone). */
export function encodeValue(value: unknown): Buffer {
  return typeof value === 'string' ? encodeString(value) : serialize(value);
}

/** A varint at `at`: its value and where it ends, or undefined when it runs past the end. */
function readVarint(b: Uint8Array, at: number): { value: number; end: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < b.length && i < at + 8; i++) {
    const byte = b[i] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, end: i + 1 };
    scale *= 0x80;
  }
  return undefined;
}

/** @internal a value encoded by {@link encodeValue} (or by `v8.serialize`, any version). */
export function decodeValue(plain: Buffer): unknown {
  if (plain.length >= 4 && plain[0] === HEADER && plain[1] === VERSION) {
    const at = plain[2] === PADDING ? 3 : 2;
    const tag = plain[at];
    if (tag === ONE_BYTE || tag === TWO_BYTE) {
      const length = readVarint(plain, at + 1);
      if (length !== undefined && length.end + length.value === plain.length) {
        if (tag === ONE_BYTE && at === 2) return plain.toString('latin1', length.end, plain.length);
        if (tag === TWO_BYTE && length.value % 2 === 0 && length.end % 2 === 0) return plain.toString('utf16le', length.end, plain.length);
      }
    }
  }
  return deserialize(plain);
}
