/** The FIFO mutex that serialises one SQLite connection's transactions. */
import { describe, expect, it } from 'vitest';
import { Mutex } from '../../../src/adapters/sql/mutex.js';

describe('Mutex', () => {
  it('runs one section at a time in call order, each after the previous settled, failures included', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const section =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([mutex.run(section('a')), mutex.run(section('b', true)), mutex.run(section('c'))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'b', 'c']);
  });

  it('is idle only when nothing runs or waits, also after a failed section', async () => {
    const mutex = new Mutex();
    expect(mutex.idle).toBe(true);
    let release: () => void = () => undefined;
    const first = mutex.run(
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    const second = mutex.run(async () => {
      throw new Error('second');
    });
    expect(mutex.idle).toBe(false);
    await Promise.resolve();
    release();
    await first;
    await second.catch(() => undefined);
    await Promise.resolve();
    expect(mutex.idle).toBe(true);
    // A synchronous throw inside a section is a rejection, and the mutex frees up.
    await expect(
      mutex.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await Promise.resolve();
    expect(mutex.idle).toBe(true);
  });
});
