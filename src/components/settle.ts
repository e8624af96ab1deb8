/**
 * How long (ms) the buttons that act on one person ignore presses after that person changed under them. "Remove"
 * stays where it is and names the person before once a removal is done, so a double tap took two people off
 * the count; a person the camera counts just as the guard taps "Remove" or a correction moves the button onto
 * someone else; "Put back" then names the removal before. For this long the shift panel shows them dimmed.
 * Two seconds: at one, a guard who had decided on the person before tapped 1.3 s after the camera counted the
 * next one (UX exploration), too soon to notice the change; the buttons now also name their person.
 */
export const SETTLE_MS = 2000;
