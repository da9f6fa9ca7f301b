import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DTYPES, type DType, dtypeByteSize } from '../dtype.js';
import { ModelsmithError } from '../errors/modelsmith-error.js';
import { createTensor, type Tensor } from '../tensor.js';
import { blobByteSource, memoryByteSource } from './byte-source.js';
import { parseSafetensors, serializeSafetensors } from './safetensors-bytes.js';
import { openSafetensors } from './safetensors-reader.js';

/** A safetensors file built by hand from a header string and raw data bytes. */
function fileOf(header: string, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.byteLength), true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

/** `{"a\xff":1}`: a lone 0xff byte is never valid UTF-8. */
function invalidUtf8(): Uint8Array {
  const bytes = fileOf('{"a?":1}');
  bytes[8 + 3] = 0xff;
  return bytes;
}

function f32Bytes(...values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(ModelsmithError.isInstance(error)).toBe(true);
    return (error as ModelsmithError).code;
  }
  throw new Error('expected a rejection');
}

describe('serializeSafetensors', () => {
  // Expected bytes are the reference implementation's own test vectors
  // (huggingface/safetensors, safetensors/src/tensor.rs: test_serialization, test_empty,
  // test_serialization_forced_alignement), rebuilt here from their header text.
  it('matches the reference bytes for one F32 tensor', () => {
    const tensor = createTensor('F32', [1, 2, 3], Float32Array.of(0, 1, 2, 3, 4, 5));
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64);
    expect(serializeSafetensors({ 'attn.0': tensor })).toEqual(fileOf(header, f32Bytes(0, 1, 2, 3, 4, 5)));
  });

  it('pads the header with spaces to a multiple of 8', () => {
    const tensor = createTensor('F32', [1, 1, 2, 3], Float32Array.of(0, 1, 2, 3, 4, 5));
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(65);
    const bytes = serializeSafetensors({ attn0: tensor });
    expect(bytes).toEqual(fileOf(`${header}       `, f32Bytes(0, 1, 2, 3, 4, 5)));
    expect(bytes[0]).toBe(72);
  });

  it('matches the reference bytes for empty files with and without metadata', () => {
    expect(Array.from(serializeSafetensors({}))).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
    expect(serializeSafetensors({}, { framework: 'pt' })).toEqual(
      fileOf('{"__metadata__":{"framework":"pt"}}     '),
    );
  });

  it('orders tensors by descending dtype alignment then name, like the reference writer', () => {
    const bytes = serializeSafetensors({
      b: createTensor('U8', [1]),
      a: createTensor('BOOL', [1]),
      z: createTensor('F32', [1]),
      y: createTensor('F32', [1]),
      h: createTensor('BF16', [1]),
      g: createTensor('F16', [1]),
      d: createTensor('I64', [1]),
      c: createTensor('F64', [1]),
      '10': createTensor('I32', [1]),
    });
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    const names = [...text.matchAll(/"([^"]+)":\{"dtype"/g)].map((match) => match[1]);
    expect(names).toEqual(['d', 'c', 'y', 'z', '10', 'h', 'g', 'b', 'a']);
  });
});

const dtypeArb = fc.constantFrom(...DTYPES);
const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 });
const tensorArb = fc.tuple(dtypeArb, shapeArb).chain(([dtype, shape]) => {
  const numel = shape.reduce((a, b) => a * b, 1);
  return fc
    .uint8Array({ minLength: numel * dtypeByteSize(dtype), maxLength: numel * dtypeByteSize(dtype) })
    .map((bytes) => ({ dtype, shape, bytes }));
});

function tensorOf(dtype: DType, shape: number[], bytes: Uint8Array): Tensor {
  const copy = bytes.slice();
  const t = createTensor(dtype, shape);
  new Uint8Array(t.data.buffer).set(copy);
  return t;
}

describe('round trips', () => {
  it('parseSafetensors(serializeSafetensors(x)) returns x for random tensors of every dtype and shape', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '__metadata__'),
          tensorArb,
          { maxKeys: 6 },
        ),
        fc.dictionary(fc.string(), fc.string()),
        (spec, metadata) => {
          const tensors: Record<string, Tensor> = {};
          for (const [name, t] of Object.entries(spec)) {
            Object.defineProperty(tensors, name, {
              value: tensorOf(t.dtype, t.shape, t.bytes),
              enumerable: true,
            });
          }
          const parsed = parseSafetensors(serializeSafetensors(tensors, metadata));
          expect(Object.keys(parsed.tensors).sort()).toEqual(Object.keys(tensors).sort());
          for (const name of Object.keys(tensors)) {
            const a = tensors[name]!;
            const b = parsed.tensors[name]!;
            expect(b.dtype).toBe(a.dtype);
            expect(b.shape).toEqual(a.shape);
            expect(new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength)).toEqual(
              new Uint8Array(a.data.buffer),
            );
          }
          expect(parsed.metadata).toEqual({ ...metadata });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads tensors and row ranges through a byte source (memory and Blob)', async () => {
    const weight = createTensor('F32', [3, 2], Float32Array.of(1, 2, 3, 4, 5, 6));
    const bytes = serializeSafetensors(
      { weight, bias: createTensor('BF16', [2], Uint16Array.of(0x3f80, 0xc000)) },
      { note: 'x' },
    );
    for (const source of [
      memoryByteSource(bytes, 'm.safetensors'),
      blobByteSource(new Blob([bytes.slice().buffer]), 'm.safetensors'),
    ]) {
      const file = await openSafetensors(source, 'm.safetensors');
      expect(file.tensors.map((t) => [t.name, t.dtype, t.shape, t.byteLength])).toEqual([
        ['bias', 'BF16', [2], 4],
        ['weight', 'F32', [3, 2], 24],
      ]);
      expect(file.metadata).toEqual({ note: 'x' });
      expect([...(await file.read('weight')).data]).toEqual([1, 2, 3, 4, 5, 6]);
      const rows = await file.readRows('weight', 1, 3);
      expect(rows.shape).toEqual([2, 2]);
      expect([...rows.data]).toEqual([3, 4, 5, 6]);
      expect((await file.readRows('weight', 2, 2)).shape).toEqual([0, 2]);
      expect([...(await file.readInto('weight', new Uint8Array(32))).data]).toEqual([1, 2, 3, 4, 5, 6]);
      await expect(file.readRows('weight', 2, 4)).rejects.toThrow(
        /rows \[2, 4\) of tensor 'weight' are outside \[0, 3\]/,
      );
      await expect(file.read('missing')).rejects.toThrow(/no tensor named 'missing'/);
      const seen = [];
      for await (const { info } of file.iterate()) seen.push(info.name);
      expect(seen).toEqual(['bias', 'weight']);
      await file.close();
    }
  });

  it('reads tensors at unaligned offsets, scalars and zero-size tensors', async () => {
    // Hand-written header: an F32 tensor at data offset 3, an F64 scalar at 11, an empty I32.
    const data = new Uint8Array(19);
    data.set([7, 8, 9], 0);
    const view = new DataView(data.buffer);
    view.setFloat32(3, 1.5, true);
    view.setFloat32(7, -2, true);
    view.setFloat64(11, Math.PI, true);
    const bytes = fileOf(
      '{"u":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},"f":{"dtype":"F32","shape":[2],"data_offsets":[3,11]},' +
        '"s":{"dtype":"F64","shape":[],"data_offsets":[11,19]},"e":{"dtype":"I32","shape":[0,4],"data_offsets":[19,19]}}',
      data,
    );
    const file = await openSafetensors(memoryByteSource(bytes), 'odd.safetensors');
    expect([...(await file.read('f')).data]).toEqual([1.5, -2]);
    const scalar = await file.read('s');
    expect(scalar.shape).toEqual([]);
    expect([...scalar.data]).toEqual([Math.PI]);
    const empty = await file.read('e');
    expect(empty.shape).toEqual([0, 4]);
    expect(empty.data).toBeInstanceOf(Int32Array);
    expect(empty.data.length).toBe(0);
    await expect(file.readRows('s', 0, 1)).rejects.toThrow(/scalar/);
    expect([...parseSafetensors(bytes).tensors.f!.data]).toEqual([1.5, -2]);
  });
});

describe('header validation', () => {
  const good =
    '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[2],"data_offsets":[8,10]}}';
  const cases: [string, Uint8Array, string, RegExp][] = [
    [
      'shorter than 8 bytes',
      new Uint8Array(5),
      'E_SAFETENSORS_HEADER',
      /shorter than the 8-byte header length/,
    ],
    [
      'header length past the end',
      fileOf(good, new Uint8Array(10), 5000n),
      'E_SAFETENSORS_HEADER',
      /runs past the end/,
    ],
    [
      'huge header claim',
      fileOf(good, new Uint8Array(10), 2n ** 40n),
      'E_SAFETENSORS_HEADER',
      /above the 100000000-byte limit/,
    ],
    ['not JSON', fileOf('{"a":', new Uint8Array(0)), 'E_SAFETENSORS_HEADER', /not valid JSON/],
    ['JSON array', fileOf('[1,2]'), 'E_SAFETENSORS_HEADER', /must start with '\{'/],
    ['invalid UTF-8', invalidUtf8(), 'E_SAFETENSORS_HEADER', /not valid UTF-8/],
    [
      'metadata not strings',
      fileOf('{"__metadata__":{"n":1}}'),
      'E_SAFETENSORS_HEADER',
      /__metadata__.n must be a string/,
    ],
    [
      'metadata not an object',
      fileOf('{"__metadata__":"x"}'),
      'E_SAFETENSORS_HEADER',
      /__metadata__ must be an object/,
    ],
    [
      'unknown dtype',
      fileOf('{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}', new Uint8Array(16)),
      'E_SAFETENSORS_HEADER',
      /tensor 'a' has unknown dtype "F128"/,
    ],
    [
      'negative shape',
      fileOf('{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}}'),
      'E_SAFETENSORS_HEADER',
      /tensor 'a' shape \[-1\]/,
    ],
    [
      'fractional shape',
      fileOf('{"a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}', new Uint8Array(1)),
      'E_SAFETENSORS_HEADER',
      /tensor 'a' shape \[1.5\]/,
    ],
    [
      'string shape',
      fileOf('{"a":{"dtype":"U8","shape":"1","data_offsets":[0,1]}}', new Uint8Array(1)),
      'E_SAFETENSORS_HEADER',
      /shape must be an array/,
    ],
    [
      'bad offsets',
      fileOf('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0]}}', new Uint8Array(1)),
      'E_SAFETENSORS_HEADER',
      /data_offsets must be/,
    ],
    [
      'reversed offsets',
      fileOf('{"a":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}}', new Uint8Array(1)),
      'E_SAFETENSORS_HEADER',
      /end before they begin/,
    ],
    [
      'size mismatch',
      fileOf('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,6]}}', new Uint8Array(6)),
      'E_SAFETENSORS_HEADER',
      /= 8 bytes but data_offsets \[0, 6\] span 6/,
    ],
    [
      'overlap',
      fileOf(
        '{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}',
        new Uint8Array(6),
      ),
      'E_SAFETENSORS_HEADER',
      /tensor 'b' \[2, 6\] overlaps tensor 'a'/,
    ],
    [
      'hole',
      fileOf(
        '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}}',
        new Uint8Array(6),
      ),
      'E_SAFETENSORS_HEADER',
      /hole in the data section: bytes \[2, 4\)/,
    ],
    [
      'out of range',
      fileOf('{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}', new Uint8Array(4)),
      'E_SAFETENSORS_DATA',
      /tensor 'a' ends at data byte 8 but the data section has only 4 bytes/,
    ],
    [
      'trailing bytes',
      fileOf(good, new Uint8Array(12)),
      'E_SAFETENSORS_DATA',
      /12 bytes but the tensors cover 10/,
    ],
    ['tensor not an object', fileOf('{"a":[1]}'), 'E_SAFETENSORS_HEADER', /tensor 'a' must be an object/],
  ];

  it.each(cases)('rejects %s', async (_, bytes, code, message) => {
    const error = await openSafetensors(memoryByteSource(bytes), 'bad.safetensors').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(ModelsmithError.isInstance(error)).toBe(true);
    expect((error as ModelsmithError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('bad.safetensors');
    expect(() => parseSafetensors(bytes)).toThrow(message);
  });

  it('accepts the valid header the cases above are built from', async () => {
    const file = await openSafetensors(memoryByteSource(fileOf(good, new Uint8Array(10))), 'ok.safetensors');
    expect(file.tensors.map((t) => t.name)).toEqual(['a', 'b']);
    expect(await codeOf(file.read('nope'))).toBe('E_CHECKPOINT');
  });

  it('wraps a read failure of the source as E_SAFETENSORS_DATA naming the tensor', async () => {
    const bytes = fileOf(good, new Uint8Array(10));
    const inner = memoryByteSource(bytes);
    let reads = 0;
    const flaky = {
      size: inner.size,
      read: (offset: number, length: number) =>
        ++reads > 2 ? Promise.reject(new Error('disk gone')) : inner.read(offset, length),
    };
    const file = await openSafetensors(flaky, 'flaky.safetensors');
    await expect(file.read('a')).rejects.toThrow(/flaky.safetensors: cannot read tensor 'a': disk gone/);
    expect(await codeOf(file.read('a'))).toBe('E_SAFETENSORS_DATA');
  });
});
