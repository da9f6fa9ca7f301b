import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `files` (name → text) into a fresh temp dir and returns their paths by name. */
export function writeTempFiles<const K extends string>(
  files: Record<K, string>,
  prefix = 'modelsmith-cli-',
): Record<K, string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const paths = {} as Record<K, string>;
  for (const name of Object.keys(files) as K[]) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], files[name]);
  }
  return paths;
}
