/**
 * Localised prose of the ji4pe policy: the sections that are promises in words rather than
 * facts the SDK derives (e.g. §16 staff education). Keys are the notice renderer's section ids.
 */
import type { Localized } from 'purpose-bound';

export const ji4peProse: Readonly<Record<string, Localized>> = {};
