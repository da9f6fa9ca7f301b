export type { Command, CommandContext } from './command.js';
export { run } from './main.js';
