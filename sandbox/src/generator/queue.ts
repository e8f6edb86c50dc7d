/** Something to do at time `t` (ms); `seq` orders things due at the same time by when they were scheduled. */
export interface Scheduled {
  t: number;
  seq: number;
}

export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A binary min-heap of actions by (time, scheduling order). */
export class ActionQueue<A extends Scheduled> {
  private readonly items: A[] = [];

  get nextTime(): number {
    return this.items[0]?.t ?? Infinity;
  }

  private before(a: A, b: A): boolean {
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }

  push(action: A): void {
    const items = this.items;
    items.push(action);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i] as A, items[parent] as A)) break;
      [items[i], items[parent]] = [items[parent] as A, items[i] as A];
      i = parent;
    }
  }

  pop(): A | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.before(items[left] as A, items[smallest] as A))
          smallest = left;
        if (right < items.length && this.before(items[right] as A, items[smallest] as A))
          smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest] as A, items[i] as A];
        i = smallest;
      }
    }
    return top;
  }
}
