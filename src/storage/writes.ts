/**
 * Writes that must not be lost: the queue of records not yet on disk, and the one-record transactions that
 * put them there.
 *
 * Invariants:
 * - A record is in the queue from the moment it is counted until a transaction holding it has completed.
 * - Every record has a client-generated key and is written with `put`, so writing it again (a retry, or a
 *   retry racing a write that did land) replaces the same record; nothing is ever stored twice.
 */
import type { IDBPDatabase } from 'idb';
import { withoutThumbnail, type MaskGuardDB, type PersonEvent, type Shift } from './schema.js';

/**
 * A record waiting to reach disk. `thumbnail` travels with its event, in the same transaction. `change`: the
 * write changes a person already recorded (a correction, a removal, a revision), not a new one; while it
 * waits, no person is at risk, only the change.
 */
export type PendingWrite =
  { kind: 'shift'; shift: Shift } | { kind: 'event'; event: PersonEvent; thumbnail?: Blob; change?: true };

/** Key of a write in the queue: a newer version of the same record replaces the older one in place. */
function keyOf(write: PendingWrite): string {
  return write.kind === 'shift' ? `shift:${write.shift.id}` : `event:${write.event.id}`;
}

/** The records not yet on disk, in the order they were counted. */
export class PendingWrites {
  // A Map keeps insertion order, and `set` on an existing key keeps the old position.
  private readonly items = new Map<string, PendingWrite>();

  /** Adds a write, or replaces the queued version of the same record (a correction of a pending event). */
  add(write: PendingWrite): PendingWrite {
    const key = keyOf(write);
    const old = this.items.get(key);
    // A correction re-queues the event without its blob; keep the blob while the event still refers to it.
    if (write.kind === 'event' && old?.kind === 'event' && !write.thumbnail && write.event.thumbnailId) {
      write = { ...write, thumbnail: old.thumbnail };
    }
    // A change to a person whose own record has not reached disk yet: the person is still the one at risk.
    if (write.kind === 'event' && write.change && old?.kind === 'event' && !old.change) {
      write = {
        kind: 'event',
        event: write.event,
        ...(write.thumbnail ? { thumbnail: write.thumbnail } : {}),
      };
    }
    this.items.set(key, write);
    return write;
  }

  /** Removes `write` if it is still the queued version of its record (a newer version stays queued). */
  settle(write: PendingWrite): void {
    const key = keyOf(write);
    if (this.items.get(key) === write) this.items.delete(key);
  }

  /** The oldest queued write, if any. */
  first(): PendingWrite | undefined {
    return this.items.values().next().value;
  }

  /** A snapshot of the queue, oldest first. */
  list(): PendingWrite[] {
    return [...this.items.values()];
  }

  /** Queued new people (not changes to people already on disk): those the guard would lose. */
  newPeople(): number {
    let count = 0;
    for (const write of this.items.values()) if (write.kind === 'event' && !write.change) count += 1;
    return count;
  }

  /** Queued changes to people already on disk (a correction, a removal, a revision). */
  changes(): number {
    let count = 0;
    for (const write of this.items.values()) if (write.kind === 'event' && write.change) count += 1;
    return count;
  }

  /** Queued events, new people and changes alike (what reads overlay on the disk). */
  events(): PersonEvent[] {
    const events: PersonEvent[] = [];
    for (const write of this.items.values()) if (write.kind === 'event') events.push(write.event);
    return events;
  }

  /** Queued shifts. */
  shifts(): Shift[] {
    const shifts: Shift[] = [];
    for (const write of this.items.values()) if (write.kind === 'shift') shifts.push(write.shift);
    return shifts;
  }

  /** Bytes of the queued thumbnails. */
  thumbnailBytes(): number {
    let total = 0;
    for (const write of this.items.values()) if (write.kind === 'event') total += write.thumbnail?.size ?? 0;
    return total;
  }

  /**
   * Drops every queued thumbnail (and the event's reference to it), or only `only`'s. Used when storage is
   * full, or a write with a picture failed: a face image is never worth a count, so the events get the room.
   */
  dropThumbnails(only?: PendingWrite): void {
    for (const [key, write] of this.items) {
      if (write.kind !== 'event' || !write.event.thumbnailId) continue;
      if (only !== undefined && write !== only) continue;
      const event = withoutThumbnail(write.event);
      this.items.set(key, { kind: 'event', event, ...(write.change ? { change: true as const } : {}) });
    }
  }

  /** Forgets queued events of the given shifts (they were pruned). */
  forgetShifts(shiftIds: ReadonlySet<string>): void {
    for (const [key, write] of this.items) {
      const shiftId = write.kind === 'shift' ? write.shift.id : write.event.shiftId;
      if (shiftIds.has(shiftId)) this.items.delete(key);
    }
  }
}

/**
 * Writes one record in its own transaction with `durability: 'strict'`: the transaction completes only once
 * the browser has flushed it to disk (Chromium's default, 'relaxed', may lose the last writes if the phone's
 * power goes). Resolves when the transaction has completed; rejects if it aborted (e.g. QuotaExceededError),
 * in which case nothing of it was written.
 */
export async function writeOne(db: IDBPDatabase<MaskGuardDB>, write: PendingWrite): Promise<void> {
  if (write.kind === 'shift') {
    const tx = db.transaction('shifts', 'readwrite', { durability: 'strict' });
    await settle(tx, [tx.store.put(write.shift)]);
    return;
  }
  const tx = db.transaction(['events', 'thumbnails'], 'readwrite', { durability: 'strict' });
  const requests: Promise<unknown>[] = [];
  try {
    const { event, thumbnail } = write;
    requests.push(tx.objectStore('events').put(event));
    const thumbnails = tx.objectStore('thumbnails');
    if (event.thumbnailId && thumbnail) {
      requests.push(
        thumbnails.put({ eventId: event.id, shiftId: event.shiftId, blob: thumbnail, bytes: thumbnail.size }),
      );
    } else if (!event.thumbnailId) {
      // An event without a thumbnail reference must not leave one behind (a correction to "masked").
      requests.push(thumbnails.delete(event.id));
    }
  } catch (error) {
    // A request that throws synchronously leaves the others queued: abort so the write is all or nothing.
    tx.abort();
    await Promise.allSettled([...requests, tx.done]);
    throw error;
  }
  await settle(tx, requests);
}

/**
 * Waits for the requests and the transaction. On failure, throws the transaction's own error when it has one:
 * a request pending when the transaction aborts fails with a bare AbortError, while `tx.error` says why
 * (QuotaExceededError above all).
 */
async function settle(tx: { error: DOMException | null; done: Promise<void> }, requests: Promise<unknown>[]) {
  try {
    await Promise.all([...requests, tx.done]);
  } catch (error) {
    throw tx.error ?? error;
  }
}
