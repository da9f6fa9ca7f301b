import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DTYPES, dtypeByteSize } from '../dtype.js';
import { ModelsmithError } from '../errors/modelsmith-error.js';
import { createTensor, type Tensor } from '../tensor.js';
import { type ByteSource, memoryByteSource } from './byte-source.js';
import { parseSafetensors, serializeSafetensors } from './safetensors-bytes.js';
import { MAX_SAFETENSORS_HEADER_BYTES } from './safetensors-header.js';
import { openSafetensors } from './safetensors-reader.js';

const CODES = ['E_SAFETENSORS_HEADER', 'E_SAFETENSORS_DATA'];

/** A memory source that records the largest read asked of it. */
function recordingSource(bytes: Uint8Array): ByteSource & { largestRead: number } {
  const inner = memoryByteSource(bytes, 'fuzz.safetensors');
  const source = {
    size: inner.size,
    largestRead: 0,
    read(offset: number, length: number) {
      source.largestRead = Math.max(source.largestRead, length);
      return inner.read(offset, length);
    },
  };
  return source;
}

type Outcome = { ok: true } | { ok: false; code: string };

/** Opens and reads everything; any failure must be a ModelsmithError with a code, never anything else. */
async function exercise(bytes: Uint8Array): Promise<Outcome> {
  const source = recordingSource(bytes);
  let outcome: Outcome = { ok: true };
  try {
    const file = await openSafetensors(source, 'fuzz.safetensors');
    for (const { name } of file.tensors) await file.read(name);
  } catch (error) {
    if (!ModelsmithError.isInstance(error)) throw error;
    expect(error.message).toContain('fuzz.safetensors');
    outcome = { ok: false, code: error.code };
  }
  // No read is ever larger than the header limit or the file.
  expect(source.largestRead).toBeLessThanOrEqual(Math.min(MAX_SAFETENSORS_HEADER_BYTES, bytes.byteLength));
  let inMemory: Outcome = { ok: true };
  try {
    parseSafetensors(bytes, 'fuzz.safetensors');
  } catch (error) {
    if (!ModelsmithError.isInstance(error)) throw error;
    inMemory = { ok: false, code: error.code };
  }
  expect(inMemory).toEqual(outcome);
  return outcome;
}

const tensorArb = fc
  .tuple(fc.constantFrom(...DTYPES), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }))
  .map(([dtype, shape]): Tensor => {
    const t = createTensor(dtype, shape);
    const bytes = new Uint8Array(t.data.buffer);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + dtypeByteSize(dtype)) & 0xff;
    return t;
  });

const fileArb = fc
  .dictionary(
    fc.string({ minLength: 1, maxLength: 4 }).filter((name) => name !== '__metadata__'),
    tensorArb,
    {
      minKeys: 1,
      maxKeys: 4,
    },
  )
  .chain((tensors) =>
    fc.constantFrom(undefined, { k: 'v' }).map((metadata) => serializeSafetensors(tensors, metadata)),
  );

function headerOf(bytes: Uint8Array): Record<string, unknown> {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
}

function withHeader(bytes: Uint8Array, header: unknown, data?: Uint8Array): Uint8Array {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const body = data ?? bytes.subarray(8 + length);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + body.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  out.set(body, 8 + json.byteLength);
  return out;
}

function tensorNames(header: Record<string, unknown>): string[] {
  return Object.keys(header).filter((key) => key !== '__metadata__');
}

describe('safetensors reader on corrupted input', () => {
  it('rejects every truncation of a valid file with a coded error', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, async (bytes) => {
        expect(await exercise(bytes)).toEqual({ ok: true });
        for (let length = 0; length < bytes.byteLength; length++) {
          const outcome = await exercise(bytes.slice(0, length));
          expect(outcome.ok).toBe(false);
          if (!outcome.ok) expect(CODES).toContain(outcome.code);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('survives random byte flips anywhere in the header and its length', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (bytes, flips) => {
          const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
          const corrupt = bytes.slice();
          for (const [position, mask] of flips) corrupt[position % (8 + length)]! ^= mask;
          const outcome = await exercise(corrupt);
          if (!outcome.ok) expect(CODES).toContain(outcome.code);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses header lengths past the end or beyond the limit before allocating', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.oneof(
          fc.bigInt({ min: 1n, max: 1000n }),
          fc.constantFrom(2n ** 40n, 2n ** 63n, 2n ** 64n - 1n, 100_000_001n),
        ),
        async (bytes, extra) => {
          const corrupt = bytes.slice();
          const claim = extra < 1000n ? BigInt(bytes.byteLength) + extra : extra;
          new DataView(corrupt.buffer).setBigUint64(0, claim, true);
          const source = recordingSource(corrupt);
          const error = await openSafetensors(source, 'fuzz.safetensors').catch((caught: unknown) => caught);
          expect((error as ModelsmithError).code).toBe('E_SAFETENSORS_HEADER');
          expect(source.largestRead).toBe(8);
        },
      ),
    );
  });

  it('refuses overlapping, out-of-range and mis-sized offsets', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.nat(),
        fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0),
        fc.boolean(),
        async (bytes, pick, delta, moveBegin) => {
          const header = headerOf(bytes);
          const names = tensorNames(header);
          const entry = header[names[pick % names.length]!] as { data_offsets: [number, number] };
          const [begin, end] = entry.data_offsets;
          entry.data_offsets = moveBegin
            ? [Math.max(0, begin + delta), end]
            : [begin, Math.max(0, end + delta)];
          if (entry.data_offsets[0] === begin && entry.data_offsets[1] === end) return;
          const outcome = await exercise(withHeader(bytes, header));
          expect(outcome.ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses unknown dtypes, bad shapes and non-object JSON', async () => {
    const badShapes = [[-1], [1.5], ['2'], [null], [2 ** 60, 2 ** 60], 'x', null, {}];
    const badDtypes = ['F128', 'f32', '', 7, null, 'U16', 'F8_E8M0'];
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.nat(),
        fc.oneof(
          fc.constantFrom(...badShapes).map((shape) => ({ shape })),
          fc.constantFrom(...badDtypes).map((dtype) => ({ dtype })),
        ),
        async (bytes, pick, patch) => {
          const header = headerOf(bytes);
          const names = tensorNames(header);
          const name = names[pick % names.length]!;
          header[name] = { ...(header[name] as object), ...patch };
          const outcome = await exercise(withHeader(bytes, header));
          expect(outcome).toEqual({ ok: false, code: 'E_SAFETENSORS_HEADER' });
        },
      ),
      { numRuns: 100 },
    );
    for (const json of [null, [], [1, 2], 1, 'text', true]) {
      const bytes = withHeader(new Uint8Array(16), json, new Uint8Array(0));
      expect(await exercise(bytes)).toEqual({ ok: false, code: 'E_SAFETENSORS_HEADER' });
    }
  });
});
