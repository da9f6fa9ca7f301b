import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelsmithError } from '@modelsmith/core-tensor';

export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Refuses to replace an existing output unless `force` is set. */
export async function assertWritableOutput(path: string, force: boolean): Promise<void> {
  if (!force && (await pathExists(path))) {
    throw new ModelsmithError({
      packageName: 'cli',
      code: 'E_OUTPUT_EXISTS',
      message: `${path} already exists; pass --force to overwrite it`,
    });
  }
}

/** Writes a file through a temporary name and a rename, so a reader never sees half of it. */
export async function writeFileAtomic(path: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(
    dirname(path),
    `.${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    await writeFile(temporary, contents);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
