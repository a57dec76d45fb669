import { describe, expect, it } from 'vitest';
import { canonicalNumber, checkKey, itemIdentity, keyOfItem, type KeySchema } from './tx-layer-schema';

const schema: KeySchema = { table: 't', hash: 'pk', range: 'n' };

describe('canonicalNumber', () => {
  it.each([
    ['1', '1e0'],
    ['1.0', '1e0'],
    ['10e-1', '1e0'],
    ['+001.500', '15e-1'],
    ['100', '1e2'],
    ['-0.25', '-25e-2'],
    ['0', '0'],
    ['-0.000', '0'],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678e0'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalNumber(input)).toBe(expected);
  });
});

describe('keys', () => {
  it('treats numerically equal number keys as the same item', () => {
    const a = itemIdentity(schema, { pk: { S: 'x' }, n: { N: '1' } });
    const b = itemIdentity(schema, { pk: { S: 'x' }, n: { N: '1.00' } });
    const c = itemIdentity(schema, { pk: { S: 'x' }, n: { N: '2' } });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('extracts a key from an item and rejects a missing key attribute', () => {
    expect(keyOfItem(schema, { pk: { S: 'x' }, n: { N: '1' }, other: { S: 'y' } })).toEqual({ pk: { S: 'x' }, n: { N: '1' } });
    expect(() => keyOfItem(schema, { pk: { S: 'x' } })).toThrow('Missing the key n in the item');
  });

  it('rejects a key with missing or extra attributes', () => {
    expect(() => checkKey(schema, { pk: { S: 'x' } })).toThrow('The provided key element does not match the schema');
    expect(() => checkKey(schema, { pk: { S: 'x' }, n: { N: '1' }, z: { S: 'z' } })).toThrow(
      'The provided key element does not match the schema',
    );
  });
});
