import type { DisposableLike } from './lifecycle';

/** How often the routing config file is checked besides the file watcher. */
export const FILE_POLL_MS = 5000;

/** A file's state as far as a reload is concerned: its modification time and size, or its absence. */
export type FileSignature = string;

export interface PollTimers {
  setInterval: (f: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

const REAL_TIMERS: PollTimers = {
  setInterval: (f, ms) => setInterval(f, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

/**
 * Looks at a file every few seconds and calls `onChange` when it is no longer as last recorded:
 * the fallback for file-watcher events that never come (a watcher that was not ready when the
 * file was first written, or a machine out of inotify watches). Whoever reads the file calls
 * `record` with what it read, so a change the watcher did report is not reloaded twice.
 */
export class FilePoll implements DisposableLike {
  private last: FileSignature | undefined;
  private checking = false;
  private readonly handle: unknown;

  constructor(
    private readonly signature: () => Promise<FileSignature>,
    private readonly onChange: () => void,
    intervalMs: number = FILE_POLL_MS,
    private readonly timers: PollTimers = REAL_TIMERS,
  ) {
    this.handle = timers.setInterval(() => void this.check(), intervalMs);
  }

  /** The state the file was read in. */
  record(signature: FileSignature): void {
    this.last = signature;
  }

  /** Compares the file with the last recorded state; calls `onChange` once per difference. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const now = await this.signature();
      if (this.last === undefined) this.last = now;
      else if (now !== this.last) {
        this.last = now;
        this.onChange();
      }
    } finally {
      this.checking = false;
    }
  }

  dispose(): void {
    this.timers.clearInterval(this.handle);
  }
}
