import type { ProgressCallback } from '@modelsmith/core-tensor';
import type { CommandContext } from '../command.js';

/**
 * Turns `onProgress` events into a redrawn bar on a terminal, or into a line at
 * most every `intervalMs` otherwise (so logs stay readable).
 */
export function createProgressReporter(
  context: CommandContext,
  intervalMs = 2000,
): ProgressCallback & { finish(): void } {
  let lastLine = 0;
  let drawn = false;
  const report = (event: { done: number; total: number; label: string }) => {
    const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
    const percent = `${(fraction * 100).toFixed(0).padStart(3)}%`;
    if (context.interactive) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const label = event.label.length > 40 ? `…${event.label.slice(-39)}` : event.label;
      context.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent} ${label}\u001b[K`);
      drawn = true;
      return;
    }
    const now = Date.now();
    if (now - lastLine >= intervalMs || event.done === event.total) {
      lastLine = now;
      context.stderr(`${percent} ${event.done}/${event.total} ${event.label}\n`);
    }
  };
  return Object.assign(report, {
    finish() {
      if (drawn) context.stderr('\n');
      drawn = false;
    },
  });
}
