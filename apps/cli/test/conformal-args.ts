import { join } from 'node:path';

export interface CalTestFiles {
  readonly cal: string;
  readonly test: string;
}

/** A CSV under `test/fixtures/conformal/`. */
export function conformalFixture(name: string): string {
  return join(import.meta.dirname, 'fixtures', 'conformal', name);
}

/** `conformal <verb> --cal <cal> --test <test> ...flags`. */
export function conformalArgs(verb: string, files: CalTestFiles, ...flags: string[]): string[] {
  return ['conformal', verb, '--cal', files.cal, '--test', files.test, ...flags];
}
