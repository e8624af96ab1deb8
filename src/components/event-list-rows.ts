/**
 * Which of a list's people the history's list draws: a window of at most {@link ROWS_AT_MOST} consecutive
 * people. At first the newest {@link ROWS_AT_FIRST}; each "Show earlier" adds {@link ROWS_MORE} above, and once
 * the window is full, drops as many of the newest below ("Show later" brings them back). Drawing all of a busy
 * shift froze the page, the camera's counting too: with 3,000 people drawn, a count took 0.8 s to show at a
 * phone's speed and a correction 3 s, frames held up for up to 0.9 s; the window bounds both whatever the list's
 * length. Pure, and apart from the element, so that tests in Node can read it.
 */
export const ROWS_AT_FIRST = 100;
export const ROWS_MORE = 200;
export const ROWS_AT_MOST = 300;

/**
 * `newest`: the window ends at the list's newest person and follows it as people are counted, `rows` long.
 * `from`: the window starts at the person at index `from` (oldest first) and stays on them as people are
 * counted, {@link ROWS_AT_MOST} long (people after it are not drawn); near the list's end it starts earlier, so
 * as to draw that many. `at`: as `from`, but starting exactly there (see pinned): the rows drawn do not change
 * when it is taken, so nothing moves under the guard's finger.
 */
export type RowWindow =
  { kind: 'newest'; rows: number } | { kind: 'from'; from: number } | { kind: 'at'; from: number };

export const NEWEST_FIRST: RowWindow = { kind: 'newest', rows: ROWS_AT_FIRST };

/** The indices [start, end) of the people drawn from a list of `length`. */
export function rowRange(window: RowWindow, length: number): [number, number] {
  if (window.kind === 'newest') return [Math.max(0, length - Math.min(window.rows, ROWS_AT_MOST)), length];
  if (window.kind === 'at') {
    const start = Math.min(window.from, length);
    return [start, Math.min(length, start + ROWS_AT_MOST)];
  }
  const start = Math.min(window.from, Math.max(0, length - ROWS_AT_MOST));
  return [start, Math.min(length, start + ROWS_AT_MOST)];
}

/** The window that also draws up to {@link ROWS_MORE} earlier people (the newest then drawn may go). */
export function showEarlier(window: RowWindow, length: number): RowWindow {
  const [start] = rowRange(window, length);
  const from = Math.max(0, start - ROWS_MORE);
  return window.kind === 'newest' && length - from <= ROWS_AT_MOST
    ? { kind: 'newest', rows: length - from }
    : { kind: 'from', from };
}

/** The window moved {@link ROWS_MORE} later; back to following the newest once it reaches them. */
export function showLater(window: RowWindow, length: number): RowWindow {
  const [start] = rowRange(window, length);
  const from = start + ROWS_MORE;
  return from + ROWS_AT_MOST >= length ? { kind: 'newest', rows: ROWS_AT_MOST } : { kind: 'from', from };
}

/**
 * The same people drawn, no longer following the newest: while the guard works on a row (a person found by
 * Person #, a change being chosen), counts must not slide it out of the window (at a busy door the oldest person
 * drawn went within 2 s, with the change being chosen). People counted later are still drawn after them, up to
 * {@link ROWS_AT_MOST} in all ("Show later" then, or "Go to the newest person").
 */
export function pinned(window: RowWindow, length: number): RowWindow {
  return window.kind === 'newest' ? { kind: 'at', from: rowRange(window, length)[0] } : window;
}

/** The window that draws the person at `index`: the same one if it does, else one with them in its middle. */
export function showIndex(window: RowWindow, length: number, index: number): RowWindow {
  const [start, end] = rowRange(window, length);
  if (index >= start && index < end) return window;
  if (length - index <= ROWS_AT_MOST)
    return { kind: 'newest', rows: Math.max(ROWS_AT_FIRST, length - index) };
  return { kind: 'from', from: Math.max(0, index - Math.floor(ROWS_AT_MOST / 2)) };
}
