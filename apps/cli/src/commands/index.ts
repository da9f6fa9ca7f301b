import type { Command } from '../command.js';

/** Every command of the `modelsmith` tool. Each area adds its commands here. */
export const commands: readonly Command[] = [];
