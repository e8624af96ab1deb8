import { LitElement, css, html, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { LiveFrame } from '../pipeline/guard-controller.ts';

const LABEL_TEXT = { with_mask: 'MASK', without_mask: 'NO MASK' } as const;
/** A counted person's label: what the tally counted them as, not this frame's guess. */
const COUNTED_TEXT = { with_mask: 'MASK', without_mask: 'NO MASK', uncertain: 'CHECK: UNSURE' } as const;

/** Height of a box's label on screen, CSS px. */
const LABEL_CSS_PX = 18;

/**
 * A label's width in font sizes, over-estimated (bold system-ui runs about 0.6 of the size per character,
 * capitals more; Debian's Chromium draws them at 0.72–0.74): only used to keep a label that is wider than the
 * room beside its box from running off the frame's far edge (see labelPlace).
 */
const labelWidth = (label: string) => 0.8 * label.length;

/**
 * Where a box's label goes, in frame pixels: above the box, from its left edge for a face in the left half of
 * the frame and up to its right edge for one in the right half (`text-anchor: end`), so that the text runs
 * towards the middle of the picture. Placed by the box's left edge alone, with the width estimated, a
 * label near the right edge of a phone held upright (where the picture fills the screen's width) ran off it
 * whenever the font was wider than the estimate ("#4 NO MAS"). `inset`: how far inside the frame's edges the text
 * starts or ends, so that its outline (stroked around the glyphs) stays on the picture too: anchored at the very
 * edge, a face's box reaching it put the outline a pixel past the screen's edge (CI saw 391 of 390 px).
 */
function labelPlace(
  box: { x: number; width: number },
  frameWidth: number,
  estimatedWidth: number,
  inset: number,
): { x: number; anchor: 'start' | 'end' } {
  if (box.x + box.width / 2 <= frameWidth / 2) {
    return { x: Math.max(inset, Math.min(box.x, frameWidth - estimatedWidth)), anchor: 'start' };
  }
  return { x: Math.min(frameWidth - inset, Math.max(box.x + box.width, estimatedWidth)), anchor: 'end' };
}

/** The width of a label's outline (`stroke-width`, half of it outside the glyphs), CSS px. */
const LABEL_STROKE_CSS_PX = 3;

/**
 * Boxes over the picture, one per face, coloured and labelled in words (never colour alone): this frame's
 * guess with its confidence until the person is counted, then what they were counted as, with their number.
 * `data-label` is this frame's classification and `data-decision` the counted decision, for tests. An SVG whose viewBox is the frame's pixel size, scaled like the picture under it
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
    [data-shown='with_mask'] rect {
      stroke: #2ecc71;
    }
    [data-shown='without_mask'] rect {
      stroke: #ff3b30;
      stroke-dasharray: 10 4;
    }
    [data-shown='uncertain'] rect {
      stroke: #ffb300;
      stroke-dasharray: 4 4;
    }
    text {
      font-family: system-ui, sans-serif;
      font-weight: bold;
      paint-order: stroke;
      stroke: #000;
    }
    [data-shown='with_mask'] text {
      fill: #b9f6ca;
    }
    [data-shown='without_mask'] text {
      fill: #ffd6d3;
    }
    [data-shown='uncertain'] text {
      fill: #ffe8a3;
    }
  `;

  override render() {
    const frame = this.frame;
    if (frame === undefined) return html``;
    // Frame pixels per CSS pixel, as `meet` scales the frame into the overlay; before the first layout, as if
    // the frame's longer side filled a 360-pixel-wide phone.
    const fit = Math.min(this.shown.width / frame.width, this.shown.height / frame.height);
    const scale = fit > 0 ? 1 / fit : Math.max(frame.width, frame.height) / 360;
    return html`<svg
      part="overlay"
      viewBox="0 0 ${frame.width} ${frame.height}"
      preserveAspectRatio="xMidYMid meet"
    >
      ${frame.faces.map((face, i) => {
        const { x, y, width, height } = face.box;
        const number = frame.numbers[i];
        const decision = frame.decisions[i];
        // Before a person is counted, this frame's guess with its confidence; once counted, what the tally
        // and the alert say (a single frame's guess may differ, and the box must not contradict the alert).
        const label =
          decision !== undefined && number !== undefined
            ? `#${number} ${COUNTED_TEXT[decision]}`
            : `${LABEL_TEXT[face.label]} ${Math.round(100 * face.probs[face.label])}%${number === undefined ? '' : ` · #${number}`}`;
        const place = labelPlace(
          face.box,
          frame.width,
          labelWidth(label) * LABEL_CSS_PX * scale,
          LABEL_STROKE_CSS_PX * scale,
        );
        return svg`<g
          data-face
          data-label=${face.label}
          data-decision=${decision ?? ''}
          data-shown=${decision ?? face.label}
          data-box=${[x, y, width, height].map(Math.round).join(',')}
        >
          <rect x=${x} y=${y} width=${width} height=${height}></rect>
          <text
            x=${place.x}
            text-anchor=${place.anchor}
            y=${Math.max(y - 6 * scale, (LABEL_CSS_PX + 2) * scale)}
            font-size=${LABEL_CSS_PX * scale}
            stroke-width=${LABEL_STROKE_CSS_PX * scale}
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
