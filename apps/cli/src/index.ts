export { run } from './main.js';
export type { Command, CommandContext } from './command.js';
