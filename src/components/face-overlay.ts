import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LiveFrame } from '../pipeline/guard-controller.ts';

const LABEL_TEXT = { with_mask: 'MASK', without_mask: 'NO MASK' } as const;

/**
 * Boxes over the picture, one per face, coloured and labelled in words with the confidence (never colour
 * alone). An SVG whose viewBox is the frame's pixel size, scaled like the picture under it
 * (`object-fit: contain` ⇔ `preserveAspectRatio="xMidYMid meet"`), so boxes need no conversion.
 *
 * @csspart overlay - the SVG
 */
@customElement('face-overlay')
export class FaceOverlay extends LitElement {
  /** The frame to draw; nothing is drawn without one. */
  @property({ attribute: false }) frame: LiveFrame | undefined;

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
      font:
        bold 16px system-ui,
        sans-serif;
      paint-order: stroke;
      stroke: #000;
      stroke-width: 3px;
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
    const scale = Math.max(frame.width, frame.height) / 640;
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
          <text x=${x} y=${Math.max(y - 6 * scale, 14 * scale)} font-size=${16 * scale}>${label}</text>
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
