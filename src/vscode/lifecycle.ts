import type * as vscode from 'vscode';

/** Anything with a `dispose()`; matches `vscode.Disposable` without importing the editor. */
export interface DisposableLike {
  dispose(): unknown;
}

/**
 * Base for classes that own listeners: whatever they `register()` is disposed with them, in
 * reverse order, exactly once.
 */
export class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `d` and returns it; disposes it at once if this is already disposed. */
  protected register<T extends DisposableLike>(d: T): T {
    if (this.disposed) void d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.owned.splice(0).reverse()) void d.dispose();
  }
}

/** A minimal typed event emitter that is also a `vscode.Event`, so pure classes need no editor. */
export class Emitter<T> implements DisposableLike {
  private listeners: Array<(value: T) => unknown> = [];

  readonly event = (listener: (value: T) => unknown): vscode.Disposable => {
    this.listeners.push(listener);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }

  dispose(): void {
    this.listeners = [];
  }
}
