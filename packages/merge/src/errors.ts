import { createErrorFactory } from '@modelsmith/core-tensor';

/** Errors thrown by @modelsmith/merge, prefixed `[@modelsmith/merge]`. */
export const mergeError = createErrorFactory('merge');
export const PACKAGE_NAME = 'merge';
