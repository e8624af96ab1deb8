/**
 * The write queue: every record goes through it, is written in order, one drain at a time, and stays queued
 * (in memory) until a write of it has completed. It retries on the next write, on a timer and on demand.
 */
import type { IDBPDatabase } from 'idb';
import type { MaskGuardDB } from './schema.js';
import { PendingWrites, writeOne, type PendingWrite } from './writes.js';

/** What the page should tell the guard about storage. */
export interface StorageStatus {
  /** `saved`: everything counted is on disk. `pending`: some people are only in memory for now. */
  state: 'saved' | 'pending';
  /**
   * People not yet on disk; `state` can be `pending` with 0 here when only a shift record or a change to a
   * person already on disk waits.
   */
  pending: number;
  /** Why the last write failed, while `state` is `pending`. */
  cause?: 'quota' | 'error';
  /** One line for the guard. */
  message: string;
}

/** Whether a write failed because the origin ran out of storage (Firefox once used its own name for it). */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/**
 * Builds the status line.
 * @param people queued new people; @param changes queued changes to people already on disk (a correction, a
 * removal); @param others other queued records (a shift's start or end).
 */
export function describeStatus(
  people: number,
  changes: number,
  others: number,
  cause: 'quota' | 'error' | undefined,
): StorageStatus {
  if (people + changes + others === 0) return { state: 'saved', pending: 0, message: 'All counts saved' };
  const count = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);
  // People first (they are what a lost write would cost), then changes; both named when both wait.
  const parts = [
    ...(people > 0 ? [count(people, 'person', 'people')] : []),
    ...(changes > 0 ? [count(changes, 'change to the count', 'changes to the count')] : []),
  ];
  const what = parts.length > 0 ? parts.join(' and ') : 'the shift is';
  const reason = cause === 'quota' ? 'Storage is full' : 'Could not save';
  return {
    state: 'pending',
    pending: people,
    cause,
    message: `${reason}: ${what} kept in memory, will retry`,
  };
}

/** Drains {@link PendingWrites} into the database and keeps the status the guard sees. */
export class WriteQueue {
  /** The records not yet on disk. */
  readonly pending = new PendingWrites();
  private chain: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastCause: 'quota' | 'error' | undefined;
  private current: StorageStatus = describeStatus(0, 0, 0, undefined);
  private closed = false;

  /**
   * @param onWritten called after each write that completed (the record is on disk).
   * @param onStatus called whenever {@link WriteQueue.status} changes.
   */
  constructor(
    private readonly db: IDBPDatabase<MaskGuardDB>,
    private readonly retryMs: number,
    private readonly onWritten: (write: PendingWrite) => void,
    private readonly onStatus: () => void,
  ) {}

  /** What to tell the guard about storage right now. */
  get status(): StorageStatus {
    return this.current;
  }

  /** Queued new people (changes to people already on disk are not people at risk). */
  get pendingPeople(): number {
    return this.pending.newPeople();
  }

  /** Queues a write, then drains the queue (older queued writes first). Never rejects. */
  async save(write: PendingWrite): Promise<void> {
    this.pending.add(write);
    await this.flush();
  }

  /** Drains the queue now. Resolves to true when nothing is left in memory. */
  async retry(): Promise<boolean> {
    await this.flush();
    return this.pending.list().length === 0;
  }

  /**
   * Runs `task` after every earlier drain and read. Drains never interleave, and a read that overlays the
   * queue on the disk sees both at one moment (no write can settle between the two looks).
   */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Stops the retry timer; later drains still run if asked, but no timer is set again. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private flush(): Promise<void> {
    return this.serial(() => this.drain());
  }

  private async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    let failed = false;
    // The records queued when this drain began; each one queued since has its own drain behind this one.
    for (const write of this.pending.list()) {
      try {
        await writeOne(this.db, write);
        this.pending.settle(write);
        this.onWritten(write);
      } catch (error) {
        failed = true;
        this.lastCause = isQuotaError(error) ? 'quota' : 'error';
        if (this.lastCause === 'quota') this.pending.dropThumbnails();
        // Any other failure of a person with a picture: the next try goes without it, so a picture the
        // browser will not store (some refuse Blobs in private mode) cannot hold up every later person.
        else this.pending.dropThumbnails(write);
        // Stop at the first failure: the next one would most likely fail the same way.
        break;
      }
    }
    if (this.pending.first() === undefined) this.lastCause = undefined;
    // Nothing failed, but records came in meanwhile: their own drains follow. Saying "could not save" now
    // would be false.
    else if (!failed) return;
    else if (!this.closed) this.timer = setTimeout(() => void this.flush(), this.retryMs);
    const people = this.pendingPeople;
    const changes = this.pending.changes();
    const next = describeStatus(
      people,
      changes,
      this.pending.list().length - people - changes,
      this.lastCause,
    );
    if (next.message === this.current.message) return;
    this.current = next;
    this.onStatus();
  }
}
