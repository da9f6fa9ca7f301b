import type { Command } from '../command.js';
import {
  conformalClassifyCommand,
  conformalRegressCommand,
  conformalSelectCommand,
} from './conformal/index.js';
import { demoCommand } from './demo.js';
import { diffusionBenchCommand, diffusionSampleCommand } from './diffusion/index.js';
import {
  evalAdjustCommand,
  evalBootstrapCommand,
  evalCalibrationCommand,
  evalFriedmanCommand,
  evalMcnemarCommand,
  evalPasskCommand,
  evalRankCommand,
  evalWilcoxonCommand,
} from './eval/index.js';
import { inspectCommand } from './inspect.js';
import { mergeCommand } from './merge/index.js';
import {
  peftApplyCommand,
  peftCombineCommand,
  peftCompressCommand,
  peftExtractCommand,
} from './peft/index.js';
import {
  scalingExtrapolateCommand,
  scalingFitCommand,
  scalingHparamsCommand,
  scalingMixtureCommand,
  scalingOptimalCommand,
  scalingSelectCommand,
} from './scaling/index.js';

/** Every command of the `modelsmith` tool. Each area adds its commands here. */
export const commands: readonly Command[] = [
  demoCommand,
  inspectCommand,
  mergeCommand,
  conformalRegressCommand,
  conformalClassifyCommand,
  conformalSelectCommand,
  scalingFitCommand,
  scalingOptimalCommand,
  scalingHparamsCommand,
  scalingExtrapolateCommand,
  scalingMixtureCommand,
  scalingSelectCommand,
  diffusionBenchCommand,
  diffusionSampleCommand,
  evalPasskCommand,
  evalMcnemarCommand,
  evalAdjustCommand,
  evalWilcoxonCommand,
  evalFriedmanCommand,
  evalBootstrapCommand,
  evalRankCommand,
  evalCalibrationCommand,
  peftApplyCommand,
  peftExtractCommand,
  peftCompressCommand,
  peftCombineCommand,
];
