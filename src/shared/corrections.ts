/**
 * What a guard's correction changed, as History, the shift panel and the export show it. A record the guard
 * changed and then changed back to its first decision keeps its `corrected` (the guard decided it: the
 * camera's later revision of the person must not overwrite that), but it changed nothing to show.
 */
export function correctedFrom<D extends string>(event: {
  decision: D;
  corrected?: { from: D };
}): D | undefined {
  const from = event.corrected?.from;
  return from === undefined || from === event.decision ? undefined : from;
}
