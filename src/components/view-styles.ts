/**
 * Styles shared by the shift, history and settings views: large type and ≥ 44 px touch targets, because the
 * guard glances at the phone and taps it with gloves on.
 */
import { css } from 'lit';

/** `.sr-only`: said by a screen reader, not seen. */
export const srOnlyStyles = css`
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/**
 * Where keyboard or switch focus is: a white ring 3 px wide, kept 2 px off the control by a ring of the page's
 * dark blue, so that it shows on every background the app uses (the dark page, the red and amber alerts, a
 * pressed light button). The browser's own thin ring was hard to find on the dark page (UX exploration).
 */
export const focusStyles = css`
  :focus-visible {
    outline: 3px solid #ffffff;
    outline-offset: 2px;
    box-shadow: 0 0 0 2px #0b1d2a;
  }
`;

/** Buttons, fields and choices: the views' look and a ≥ 44 px touch height (also the history list's choices). */
export const controlStyles = css`
  ${focusStyles}
  button,
  input,
  select {
    font: inherit;
    min-height: 44px;
    border-radius: 8px;
    border: 1px solid #5c7080;
    background: #17303f;
    color: inherit;
    padding: 0 14px;
    box-sizing: border-box;
  }
`;

/**
 * What a button says by its look (with {@link controlStyles}): that it can be tapped, that it cannot be yet
 * (dimmed), that it is the current choice, that it goes ahead (`primary`) or deletes (`danger`).
 */
export const buttonStyles = css`
  button {
    cursor: pointer;
    font-weight: 600;
  }
  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.5;
    cursor: default;
  }
  /* The current choice: shown selected, not dimmed like a button that cannot be used yet. */
  button[aria-pressed='true'] {
    background: #f4f7f9;
    color: #0b1d2a;
    opacity: 1;
  }
  button.primary {
    background: #2e7d32;
    border-color: #7cf0a8;
  }
  button.danger {
    background: #8e1b1b;
    border-color: #ff8a80;
  }
`;

/** Base styles for a view element's shadow root (with {@link controlStyles} and {@link buttonStyles}). */
export const viewStyles = [
  controlStyles,
  buttonStyles,
  css`
    :host {
      display: block;
      font-size: 1.1rem;
      line-height: 1.4;
    }
    h2 {
      margin: 0 0 12px;
      font-size: 1.5rem;
    }
    h3 {
      margin: 20px 0 8px;
      font-size: 1.2rem;
    }
    p {
      margin: 6px 0;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
    }
    .message {
      margin-top: 12px;
      padding: 10px 12px;
      border-radius: 8px;
      background: #3e2f10;
      color: #ffd27a;
    }
    .hint {
      font-size: 0.95rem;
      opacity: 0.85;
    }
  `,
];
