import { LitElement, css, html, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { LiveFrame } from '../pipeline/guard-controller.ts';

const LABEL_TEXT = { with_mask: 'MASK', without_mask: 'NO MASK' } as const;

/** Height of a box's label on screen, CSS px. */
const LABEL_CSS_PX = 18;

/**
 * Boxes over the picture, one per face, coloured and labelled in words with the confidence (never colour
 * alone). An SVG whose viewBox is the frame's pixel size, scaled like the picture under it
 * (`object-fit: contain` ⇔ `preserveAspectRatio="xMidYMid meet"`), so boxes need no conversion. Labels are
 * sized in screen pixels ({@link LABEL_CSS_PX}), not frame pixels: a 1280×720 frame shown 360 px wide would
 * shrink frame-sized text to a third, unreadable at arm's length in daylight.
 *
 * @csspart overlay - the SVG
 */
@customElement('face-overlay')
export class FaceOverlay extends LitElement {
  /** The frame to draw; nothing is drawn without one. */
  @property({ attribute: false }) frame: LiveFrame | undefined;

  /** The overlay's size on screen, CSS px (0 before the first layout). */
  @state() private shown = { width: 0, height: 0 };
  private readonly resized = new ResizeObserver(([entry]) => {
    if (entry === undefined) return;
    const { width, height } = entry.contentRect;
    if (width !== this.shown.width || height !== this.shown.height) this.shown = { width, height };
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.resized.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resized.disconnect();
  }

  static override styles = css`
    :host {
      position: absolute;
      inset: 0;
      pointer-events: none;
    }
    svg {
      width: 100%;
      height: 100%;
    }
    rect {
      fill: none;
      stroke-width: 4;
      vector-effect: non-scaling-stroke;
    }
    [data-label='with_mask'] rect {
      stroke: #2ecc71;
    }
    [data-label='without_mask'] rect {
      stroke: #ff3b30;
      stroke-dasharray: 10 4;
    }
    text {
      font-family: system-ui, sans-serif;
      font-weight: bold;
      paint-order: stroke;
      stroke: #000;
    }
    [data-label='with_mask'] text {
      fill: #b9f6ca;
    }
    [data-label='without_mask'] text {
      fill: #ffd6d3;
    }
  `;

  override render() {
    const frame = this.frame;
    if (frame === undefined) return html``;
    // Frame pixels per CSS pixel, as `meet` scales the frame into the overlay; before the first layout, as if
    // a 640-pixel-wide frame filled a phone's width.
    const fit = Math.min(this.shown.width / frame.width, this.shown.height / frame.height);
    const scale = fit > 0 ? 1 / fit : Math.max(frame.width, frame.height) / 360;
    return html`<svg
      part="overlay"
      viewBox="0 0 ${frame.width} ${frame.height}"
      preserveAspectRatio="xMidYMid meet"
    >
      ${frame.faces.map((face, i) => {
        const { x, y, width, height } = face.box;
        const confidence = Math.round(100 * face.probs[face.label]);
        const track = frame.trackIds[i];
        const label = `${LABEL_TEXT[face.label]} ${confidence}%${track === undefined ? '' : ` · #${track}`}`;
        return svg`<g data-face data-label=${face.label} data-box=${[x, y, width, height].map(Math.round).join(',')}>
          <rect x=${x} y=${y} width=${width} height=${height}></rect>
          <text
            x=${Math.max(0, x)}
            y=${Math.max(y - 6 * scale, (LABEL_CSS_PX + 2) * scale)}
            font-size=${LABEL_CSS_PX * scale}
            stroke-width=${3 * scale}
          >${label}</text>
        </g>`;
      })}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'face-overlay': FaceOverlay;
  }
}
