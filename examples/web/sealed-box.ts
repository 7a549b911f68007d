/**
 * Sealed boxes: small JSON documents the app must hold for a while and that contain personal
 * values (a correction's new value until staff apply it; a disclosure report until the person
 * has read it). Each box is encrypted with its own AES-256-GCM key (node:crypto), and that key is
 * wrapped by the vault's keyring bound to the subject id, so erasing the subject (which shreds
 * the subject's key material when the keyring is backup-proof) makes its boxes unreadable too.
 * Boxes are stored as adapter records of kind `web-box:<purpose>`; the record holds ciphertext only.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring, StorageAdapter } from 'purpose-bound';

const VERSION = 1;

interface BoxDoc {
  readonly v: number;
  readonly keyId: string;
  readonly wrapped: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
  readonly expiresAt: string;
}

/** A store of sealed boxes of one purpose (`correction`, `disclosure`). */
export interface SealedBoxes<T> {
  put(input: { readonly id: string; readonly subject: string; readonly value: T; readonly expiresAt: Date }): Promise<void>;
  /** The box's content, or `undefined` when there is none, it expired, or the subject was erased. */
  get(id: string, subject: string, now: Date): Promise<T | undefined>;
  delete(id: string): Promise<void>;
  /** Delete every box of a subject (after erasure). */
  deleteSubject(subject: string): Promise<number>;
}

/**
 * Sealed boxes of one kind over the vault's adapter and keyring.
 *
 * @param adapter - the vault's adapter
 * @param keyring - the vault's keyring
 * @param purpose - a short id naming what the boxes hold
 */
export function sealedBoxes<T>(adapter: StorageAdapter, keyring: Keyring, purpose: string): SealedBoxes<T> {
  const kind = `web-box:${purpose}`;
  const aad = (id: string, subject: string): Buffer => Buffer.from(`${kind}\0${id}\0${subject}`, 'utf8');
  return {
    async put({ id, subject, value, expiresAt }) {
      const key = randomBytes(32);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(id, subject));
      const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      const keyId = keyring.currentKeyId;
      const wrapped = await keyring.wrapKey(keyId, key, subject);
      key.fill(0);
      const doc: BoxDoc = {
        v: VERSION,
        keyId,
        wrapped: Buffer.from(wrapped).toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
        expiresAt: expiresAt.toISOString(),
      };
      await adapter.transaction((tx) => tx.putRecord({ kind, id, subjectId: subject, createdAt: new Date().toISOString(), doc: JSON.stringify(doc) }));
    },
    async get(id, subject, now) {
      const row = await adapter.transaction((tx) => tx.getRecord(kind, id));
      if (row === undefined || row.subjectId !== subject) return undefined;
      const doc = JSON.parse(row.doc) as BoxDoc;
      if (doc.v !== VERSION || Date.parse(doc.expiresAt) <= now.getTime()) {
        await adapter.transaction((tx) => tx.deleteRecord(kind, id));
        return undefined;
      }
      let key: Uint8Array;
      try {
        key = await keyring.unwrapKey(doc.keyId, Buffer.from(doc.wrapped, 'base64'), subject);
      } catch {
        return undefined; // erased (shredded) or a key no longer held: the box is gone for good
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(doc.iv, 'base64'));
      decipher.setAAD(aad(id, subject));
      decipher.setAuthTag(Buffer.from(doc.tag, 'base64'));
      const text = Buffer.concat([decipher.update(Buffer.from(doc.data, 'base64')), decipher.final()]).toString('utf8');
      key.fill(0);
      return JSON.parse(text) as T;
    },
    async delete(id) {
      await adapter.transaction((tx) => tx.deleteRecord(kind, id));
    },
    async deleteSubject(subject) {
      return adapter.transaction(async (tx) => {
        let n = 0;
        for (const row of await tx.listRecords(kind, { subjectId: subject })) if (await tx.deleteRecord(kind, row.id)) n++;
        return n;
      });
    },
  };
}
