// A set with O(1) add, remove and uniform random pick: the simulator picks "some open booking"
// hundreds of thousands of times, and a Map would need a scan per pick.
import type { Random } from './random';

export class Pool<T extends { id: string }> {
  private readonly items: T[] = [];
  private readonly index = new Map<string, number>();

  get size(): number {
    return this.items.length;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  add(item: T): void {
    if (this.index.has(item.id)) return;
    this.index.set(item.id, this.items.length);
    this.items.push(item);
  }

  remove(item: T): void {
    const at = this.index.get(item.id);
    if (at === undefined) return;
    const last = this.items.pop()!;
    this.index.delete(item.id);
    if (last !== item) {
      this.items[at] = last;
      this.index.set(last.id, at);
    }
  }

  pick(random: Random): T | undefined {
    return this.items.length === 0
      ? undefined
      : this.items[Math.floor(random.next() * this.items.length)];
  }

  /** A random member that satisfies `accept`, trying a few times before giving up. */
  pickWhere(random: Random, accept: (item: T) => boolean, tries = 8): T | undefined {
    for (let i = 0; i < tries; i++) {
      const item = this.pick(random);
      if (item === undefined) return undefined;
      if (accept(item)) return item;
    }
    return undefined;
  }

  values(): readonly T[] {
    return this.items;
  }
}
