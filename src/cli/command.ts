/** What a CLI command is: main.ts dispatches to these. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export interface Command {
  name: string;
  summary: string;
  /** Returns the exit status. Throws only for usage errors (reported by main with status 2). */
  run(args: readonly string[], io: Io): Promise<number>;
}
