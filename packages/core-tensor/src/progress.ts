/** A progress report from long work; the CLI turns these into a bar or periodic lines. */
export interface ProgressEvent {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export type ProgressCallback = (event: ProgressEvent) => void;
