/**
 * The guard's shift actions: start and end a shift, name the door, and correct the count by hand (change the
 * last decision, remove the last person counted by mistake and put them back, add a person the camera missed). The shift panel renders {@link ShiftActions.state} and calls
 * these methods; the shift log stays the one source of truth, and the live tally is re-read after every change
 * so the screen and the log never disagree.
 *
 * @fires change - whenever `state` is replaced
 */
import { offline } from '../offline/index.ts';
import { lastCounted, type Decision, type PersonEvent, type Shift, type ShiftLog } from '../storage/index.ts';
import type { GuardController } from './guard-controller.ts';
import { errorText } from '../shared/error-text.ts';
import type { Tally } from '../shared/tracking/index.ts';

/** What the shift panel shows. Replaced as a whole on every change. */
export interface ShiftPanelState {
  /** The running shift, if any. */
  running: Shift | undefined;
  /** The running shift's latest person still in the count (what "change the last decision" would change). */
  lastPerson: PersonEvent | undefined;
  /**
   * The person the guard removed last from the running shift's count ("Put back" restores them; then the one
   * removed before, and so on). Read from the log, so it is there after a reload too.
   */
  removed: PersonEvent | undefined;
  /** An action is in progress; buttons are disabled meanwhile so a double tap does not act twice. */
  busy: boolean;
  /** One line for the guard after an action went wrong (or needs a second look); undefined otherwise. */
  message: string | undefined;
  /**
   * What the shift the guard ended last came to ({@link endedSummary}), kept beside the next shift (at a busy
   * door the camera starts one within a second or two: gone with it, the summary could not be read) until
   * the guard dismisses it or ends another shift.
   */
  ended: { shiftId: string; text: string } | undefined;
  /** The last shift, if the app ended it because nobody was counted in it for 12 hours (ShiftLog.endIdleShift). */
  endedIdle: Shift | undefined;
}

/** "Shift at Main door ended at 18:02: 240 masked, 3 without a mask, 7 uncertain. It is in History." */
export function endedSummary(shift: Shift, tally: Tally | undefined): string {
  const at = new Date(shift.end ?? Date.now()).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const door = shift.door.trim() === '' ? 'Shift' : `Shift at ${shift.door}`;
  const counts =
    tally === undefined
      ? ''
      : `: ${tally.masked} masked, ${tally.unmasked} without a mask, ${tally.uncertain} uncertain`;
  return `${door} ended at ${at}${counts}. It is in History.`;
}

/** The person of `events` the guard removed from the count most recently, if any. */
function lastRemoved(events: readonly PersonEvent[]): PersonEvent | undefined {
  let latest: PersonEvent | undefined;
  for (const event of events)
    if (event.removed !== undefined && event.removed.at >= (latest?.removed?.at ?? -Infinity)) latest = event;
  return latest;
}

/** See the module comment. */
export class ShiftActions extends EventTarget {
  private current: ShiftPanelState = {
    running: undefined,
    lastPerson: undefined,
    removed: undefined,
    busy: false,
    message: undefined,
    ended: undefined,
    endedIdle: undefined,
  };
  private seenTally: unknown;
  /**
   * The shift running (or none) when the message was given: a message is about that moment's shift ("Someone
   * else was counted meanwhile…"), so it goes once another one runs (the camera started a new one). What an
   * ended shift came to is not a message: it is kept apart (`ended`), and stays.
   */
  private messageShift: string | undefined;

  constructor(
    private readonly log: ShiftLog,
    private readonly controller: GuardController,
  ) {
    super();
    this.current = { ...this.current, running: log.currentShift(), endedIdle: log.endedIdle };
    // The controller replaces its tally object whenever a person is counted (or storage status changes);
    // frames do not, so this re-reads the log once per count rather than once per frame.
    controller.addEventListener('change', () => {
      if (controller.state.tally === this.seenTally) return;
      this.seenTally = controller.state.tally;
      if (this.shown) void this.refresh();
    });
    void this.refresh();
  }

  /**
   * Whether the Shift screen is shown (the app sets it). Only then does each count re-read the running shift:
   * hidden, the reads were a whole shift's records at every person for nobody (showing the screen re-reads it).
   */
  shown = false;

  /** The current state; a new object after every change. */
  get state(): ShiftPanelState {
    return this.current;
  }

  /** The door name the next shift will be recorded with. */
  setDoor(door: string): void {
    this.controller.setDoor(door);
  }

  /**
   * Renames the running shift's door, and the next shifts' (the preference): a name the guard typed as the
   * camera started the shift with the one before is not lost.
   */
  async renameShift(door: string): Promise<void> {
    this.controller.setDoor(door);
    await this.act(async () => {
      await this.log.renameRunning(door);
    });
  }

  /** Starts a shift at the door in the preferences. */
  async startShift(): Promise<void> {
    await this.act(async () => {
      if (this.log.currentShift() === undefined)
        await this.log.startShift(this.controller.state.preferences.door);
    });
  }

  /**
   * Ends the running shift (the panel has asked the guard to confirm). A waiting app update is applied now,
   * the one moment when reloading the page loses nothing (see src/offline/service-worker.ts).
   */
  async endShift(expectedId?: string): Promise<void> {
    await this.act(async () => {
      // People the camera counted before the guard confirmed belong to this shift: their records may still
      // wait behind earlier writes, and one that found no running shift would start a new one.
      await this.controller.counter.settled();
      // A shift nobody was counted in for 12 hours ends at its last count, as when the app opens, not now.
      await this.log.endIdleShift();
      // Meanwhile the shift the guard confirmed may have been ended as idle and a new one started by the
      // camera's next person: that one is not the shift they meant.
      const running = this.log.currentShift();
      if (expectedId !== undefined && running?.id !== expectedId)
        return running === undefined
          ? undefined
          : 'That shift had already ended; a new one has started since. End it too if you mean to.';
      const ended = await this.log.endShift();
      if (ended === undefined) return undefined;
      // The live tally goes back to zero for the next shift: say what this one came to, so it does not look
      // lost.
      const tally = await this.log.tally({ shiftId: ended.id }).catch(() => undefined);
      this.update({ ended: { shiftId: ended.id, text: endedSummary(ended, tally) } });
    });
    offline.applyUpdateIfAllowed();
  }

  /** The guard has read what the ended shift came to. */
  dismissEnded(): void {
    this.update({ ended: undefined });
  }

  /**
   * Changes the running shift's latest person to `decision`. `expectedId` is the person the guard saw on the
   * panel: if the camera counted someone else since, nothing changes and the guard is told to look again.
   */
  async correctLast(expectedId: string, decision: Decision): Promise<void> {
    await this.act(async () => {
      const corrected = await this.log.correctLast(decision, expectedId);
      if (corrected === undefined) return 'Someone else was counted meanwhile: check the last person again.';
    });
  }

  /**
   * Takes the running shift's latest person out of the count (counted twice, or added by a mistaken tap).
   * `expectedId` as in {@link correctLast}. The person can be put back with {@link restoreRemoved}.
   */
  async removeLast(expectedId: string): Promise<void> {
    await this.act(async () => {
      const ended = await this.endedIdle();
      if (ended !== undefined) return ended;
      const removed = await this.log.removeLast(expectedId);
      if (removed === undefined) return 'Someone else was counted meanwhile: check the last person again.';
    });
  }

  /** Puts the person shown as removed last back into the count. */
  async restoreRemoved(): Promise<void> {
    const removed = this.current.removed;
    if (removed === undefined) return;
    await this.act(async () => {
      const ended = await this.endedIdle();
      if (ended !== undefined) return ended;
      const restored = await this.log.restore(removed.id);
      if (restored === undefined)
        return 'That person could not be put back: they are back in the count already, or their shift has ended.';
    });
  }

  /** Adds a person the camera missed to the running shift, marked as added by hand. */
  async addManual(decision: Decision): Promise<void> {
    await this.act(async () => {
      // Not into a shift left running overnight (the panel then says it was ended).
      await this.log.endIdleShift();
      if (this.log.currentShift() === undefined) return 'Start a shift first.';
      await this.log.addManual(decision);
    });
  }

  /** Re-reads the running shift and its latest person from the log. */
  async refresh(): Promise<void> {
    let running = this.log.currentShift();
    try {
      // The panel never shows a shift left running overnight as running (the app stayed open, camera off).
      if ((await this.log.endIdleShift()) !== undefined) {
        running = undefined;
        // The live screen and this panel's tally still show the ended shift.
        await this.controller.reloadTally();
      }
      const events = running === undefined ? [] : await this.log.events(running.id);
      const stale =
        this.current.message !== undefined && !this.current.busy && running?.id !== this.messageShift;
      this.update({
        running,
        lastPerson: lastCounted(events),
        removed: lastRemoved(events),
        endedIdle: this.log.endedIdle,
        ...(stale ? { message: undefined } : {}),
      });
    } catch (error) {
      this.update({
        running,
        endedIdle: this.log.endedIdle,
        message: `The shift could not be read (${errorText(error)}).`,
      });
    }
  }

  /**
   * Ends the running shift if nobody was counted in it for 12 hours (the app stayed open, as in refresh), and
   * then says so: a correction must not go into, or keep alive, a shift that is over.
   */
  private async endedIdle(): Promise<string | undefined> {
    const ended = await this.log.endIdleShift();
    return ended === undefined ? undefined : 'That shift had ended: nobody was counted in it for 12 hours.';
  }

  /** Runs one action with the buttons disabled; a returned string is shown to the guard. */
  private async act(action: () => Promise<string | void>): Promise<void> {
    if (this.current.busy) return;
    this.update({ busy: true, message: undefined });
    let message: string | undefined;
    // The shift the message is about: the one running when the action ended, before the reads below (the
    // camera may start the next shift meanwhile).
    let messageShift: string | undefined;
    try {
      message = (await action()) ?? undefined;
      messageShift = this.log.currentShift()?.id;
      await this.controller.reloadTally();
      await this.refresh();
    } catch (error) {
      message = errorText(error);
      messageShift = this.log.currentShift()?.id;
    } finally {
      // Whatever failed, the buttons come back: a panel stuck disabled would leave a reload as the only way
      // out, and a reload loses people still kept in memory.
      this.messageShift = messageShift;
      this.update({ busy: false, message });
      // The next shift may have started while this action ended: its panel does not carry this message.
      if (message !== undefined && this.log.currentShift()?.id !== messageShift) void this.refresh();
    }
  }

  private update(change: Partial<ShiftPanelState>): void {
    this.current = { ...this.current, ...change };
    this.dispatchEvent(new Event('change'));
  }
}
