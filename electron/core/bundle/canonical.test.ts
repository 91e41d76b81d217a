// RFC 8785 (JSON Canonicalization Scheme): the bytes that signatures and Merkle leaves cover.
// Expected outputs are the RFC's own examples, not results of this code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';
import { isCanonical } from './verifier';

/** The IEEE 754 double with the given big-endian bit pattern. */
function double(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

describe('canonicalJson (RFC 8785)', () => {
  it('serializes the §3.2.2 sample input as §3.2.3/§3.2.4 show', () => {
    // RFC 8785 §3.2.2: the input text, parsed by JSON.parse exactly as a verifier would.
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], ' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    // §3.2.4: the UTF-8 bytes of that output.
    expect(Buffer.from(canonicalJson(input), 'utf8').toString('hex')).toBe(
      (
        '7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a ' +
        '5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 ' +
        '5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d'
      ).replace(/ /g, ''),
    );
  });

  it('sorts properties by UTF-16 code units (§3.2.3 example)', () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", ' +
        '"\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    // U+1F600 (surrogates D83D DE00) sorts before U+FB33: code-unit order, not code-point order.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts integer-like keys as strings, not numerically as JavaScript enumerates them', () => {
    expect(canonicalJson({ '9': 2, '10': 1 })).toBe('{"10":1,"9":2}');
    expect(canonicalJson({ b: 1, a: { d: 1, c: [{ z: 1, y: 2 }] }, '2': 0, '10': 0, '1': 0 })).toBe(
      '{"1":0,"10":0,"2":0,"a":{"c":[{"y":2,"z":1}],"d":1},"b":1}',
    );
  });

  it('keeps array order and emits no whitespace', () => {
    expect(canonicalJson([3, 1, 2, { b: [], a: {} }])).toBe('[3,1,2,{"a":{},"b":[]}]');
    expect(canonicalJson({ 'a b': ' x ' })).toBe('{"a b":" x "}');
  });

  it.each([
    // RFC 8785 Appendix B: IEEE 754 bit pattern -> canonical text.
    ['0000000000000000', '0'],
    ['8000000000000000', '0'], // -0
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serializes the double 0x%s as %s (Appendix B)', (bits, expected) => {
    expect(canonicalJson(double(bits))).toBe(expected);
    expect(canonicalJson({ n: double(bits) })).toBe(`{"n":${expected}}`);
  });

  it('writes numbers from literals in their shortest ECMAScript form', () => {
    expect(canonicalJson([1e21, 1e20, 0.000001, 1e-7, -0, 1.0, 100, 4.5e-5, 123e-20])).toBe(
      '[1e+21,100000000000000000000,0.000001,1e-7,0,1,100,0.000045,1.23e-18]',
    );
  });

  it('escapes strings as §3.2.2.2 requires', () => {
    // Only " \ and control characters are escaped; short forms where JSON has them, lower-case \u00xx otherwise.
    expect(canonicalJson('"\\\b\f\n\r\t\u0000\u001f\u007f/é€😀\u2028')).toBe(
      '"\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\u007f/é€😀\u2028"',
    );
  });

  it('rejects values RFC 8785 cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow();
    expect(() => canonicalJson([Number.NEGATIVE_INFINITY])).toThrow();
    expect(() => canonicalJson('\ud800')).toThrow(); // lone high surrogate
    expect(() => canonicalJson('x\udc00y')).toThrow(); // lone low surrogate
    expect(() => canonicalJson('\ude00\ud83d')).toThrow(); // a pair in the wrong order
    expect(() => canonicalJson({ k: ['ok', { deep: 'bad\ud83d' }] })).toThrow();
    expect(() => canonicalJson({ ['\ud800']: 1 })).toThrow(); // in a key
    expect(() => canonicalJson(undefined)).toThrow('no JSON form');
  });

  it('is independent of property insertion order', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ unit: 'grapheme', maxLength: 6 }),
          fc.jsonValue({ maxDepth: 1 }),
          { maxKeys: 8 },
        ),
        (object) => {
          const reversed = Object.fromEntries(Object.entries(object).reverse());
          expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is a fixed point: parsing canonical text and canonicalizing again gives the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('isCanonical (the verifier fast path) agrees with canonicalJson', () => {
  it('accepts canonical text, including integer-like keys and \\u escapes', () => {
    for (const text of [
      '{"10":1,"9":2}',
      '{"a":"\\u0001"}',
      '{"":0,"a":[1,{"b":null}]}',
      '"😀"',
      '{"k":"\u2028"}',
      '[]',
      '1e+21',
    ]) {
      expect(isCanonical(JSON.parse(text), text), text).toBe(true);
    }
  });

  it('refuses text that parses to the same value but is not the canonical form', () => {
    for (const text of [
      '{"9":2,"10":1}', // integer-like keys in numeric order
      '{"b":1,"a":2}',
      '{"a":1, "b":2}',
      ' {"a":1}',
      '{"a":1.0}',
      '{"a":-0}',
      '{"a":1E21}',
      '{"a":"\\/"}',
      '{"a":"\\u000F"}', // upper-case hex
      '{"a":"\\u0041"}', // needless escape
      '{"a":1,"a":1}', // duplicate key
      '{"a":"\\ud800"}', // lone surrogate
    ]) {
      expect(isCanonical(JSON.parse(text), text), text).toBe(false);
    }
  });

  it('accepts exactly the texts that canonicalJson would produce', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constantFrom('canonical', 'insertion', 'pretty'),
        (value, form) => {
          let text: string;
          if (form === 'canonical') text = canonicalJson(value);
          else if (form === 'insertion') text = JSON.stringify(value);
          else text = JSON.stringify(value, null, 1);
          const parsed: unknown = JSON.parse(text);
          expect(isCanonical(parsed, text)).toBe(canonicalJson(parsed) === text);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
