import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ModelsmithError } from '@modelsmith/core-tensor';
import type * as tfjs from '@tensorflow/tfjs';

type Tf = typeof tfjs;

function ioError(message: string, cause?: unknown): ModelsmithError {
  return new ModelsmithError({ packageName: 'cli', code: 'E_IO', message, cause, userError: true });
}

/**
 * Loads a tfjs Layers model saved as `model.json` + binary weight shards without tfjs-node:
 * reads the files with node:fs and hands them to `tf.io.fromMemory`. `path` is the model
 * directory or the model.json file.
 */
export async function loadTfjsLayersModel(tf: Tf, path: string): Promise<tfjs.LayersModel> {
  const jsonPath = path.endsWith('.json') ? resolve(path) : join(resolve(path), 'model.json');
  let json: {
    modelTopology?: unknown;
    weightsManifest?: { paths: string[]; weights: tfjs.io.WeightsManifestEntry[] }[];
  };
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw ioError(`cannot read tfjs model '${jsonPath}': ${(error as Error).message}`, error);
  }
  if (json.modelTopology === undefined || !Array.isArray(json.weightsManifest)) {
    throw ioError(`'${jsonPath}' is not a tfjs Layers model.json (needs modelTopology and weightsManifest)`);
  }
  const specs: tfjs.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const shard of group.paths) {
      const shardPath = join(dirname(jsonPath), shard);
      try {
        buffers.push(await readFile(shardPath));
      } catch (error) {
        throw ioError(`cannot read weight shard '${shardPath}' listed in ${jsonPath}`, error);
      }
    }
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData }),
  );
}
