// One operation at a time per volume (or snapshot): a CO retries a call whose deadline passed while
// the first attempt is still working, and two placements of the same volume racing could add a
// replica too many. The retry waits for the first attempt, then finds its work done.

export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>()

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve()
    const mine = before.catch(() => undefined).then(fn)
    const tail = mine.catch(() => undefined)
    this.tails.set(key, tail)
    try {
      return await mine
    } finally {
      // The last one out leaves no entry behind.
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }

  /** Keys with an operation running or waiting (for tests and logs). */
  get busy(): string[] {
    return [...this.tails.keys()]
  }
}
