/** Schema names are identifiers (they cannot be bound as parameters): only strings of the strict pattern pass. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'purpose-bound';
import { checkSchemaName } from '../../../src/adapters/sql/dialect.js';

describe('checkSchemaName', () => {
  it.each([['pb'], ['_pb_1'], ['A'.repeat(63)]])('accepts %s', (name) => {
    expect(checkSchemaName(name, 'options.schema')).toBe(name);
  });

  it.each([
    ['a name with a quote', 'pb"; DROP SCHEMA x; --'],
    ['a leading digit', '1pb'],
    ['64 characters', 'a'.repeat(64)],
    ['the empty string', ''],
    ['an array whose text is a valid name', ['pb']],
    ['an object whose text is a valid name', { toString: () => 'pb' }],
    ['a number', 5],
  ])('refuses %s, naming the argument', (_what, name) => {
    let error: unknown;
    try {
      checkSchemaName(name as string, 'options.schema');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('options.schema');
  });
});
