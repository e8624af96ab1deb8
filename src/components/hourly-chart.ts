import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { HourBucket } from '../storage/index.ts';
import { dateInputValue, formatDay, formatHour, formatTime } from './format.ts';

/** Chart geometry in SVG user units; the SVG scales to the element's width. */
const SLOT = 72;
const BAR = 28;
const LEFT = 40;
const TOP = 26;
const PLOT = 170;
const BOTTOM = 30;
/** Below the hours, the day, where a chart spans more than one (at its first hour and at each midnight). */
const DAY_LINE = 20;

/** The axis maximum: the even number at or above `max` (at least 2), so that the middle tick is whole too. */
function axisMax(max: number): number {
  return Math.max(2, Math.ceil(max / 2) * 2);
}

/**
 * People per hour as an inline SVG bar chart: two bars per hour, masked (solid) then without a mask (hatched),
 * each with its number written above it, so neither colour nor shape alone carries the meaning. Uncertain
 * people are not charted (the totals show them). For screen readers the SVG is one image whose label sums it up.
 *
 * @csspart chart - the SVG
 */
@customElement('hourly-chart')
export class HourlyChart extends LitElement {
  /** The hours to draw, oldest first, as `ShiftLog.hourly` or `hourlyOf` give them. */
  @property({ attribute: false }) hours: HourBucket[] = [];

  static override styles = css`
    :host {
      display: block;
      overflow-x: auto;
    }
    /* Drawn at its own size (one unit a pixel) so type stays readable; a long shift scrolls sideways. */
    svg {
      display: block;
    }
    text {
      fill: #f4f7f9;
      font:
        15px system-ui,
        sans-serif;
    }
    .axis {
      stroke: #8fa3b0;
      stroke-width: 1;
    }
    .grid {
      stroke: #8fa3b0;
      stroke-opacity: 0.3;
    }
    .masked {
      fill: #2ecc71;
    }
    .unmasked {
      fill: url(#hatch);
      stroke: #ff5c50;
      stroke-width: 2;
    }
    text.day {
      fill: #b8c7d3;
    }
    .legend {
      display: flex;
      gap: 16px;
      font-size: 1rem;
      margin-top: 4px;
    }
    .swatch {
      display: inline-block;
      width: 1em;
      height: 1em;
      vertical-align: -0.15em;
      margin-right: 6px;
      border: 2px solid transparent;
    }
    .swatch.masked {
      background: #2ecc71;
    }
    .swatch.unmasked {
      border-color: #ff5c50;
      background: repeating-linear-gradient(45deg, #ff5c50 0 3px, transparent 3px 7px);
    }
  `;

  override render() {
    const hours = this.hours;
    if (hours.length === 0) return html`<p>No people counted here yet.</p>`;
    const max = axisMax(Math.max(...hours.map((h) => Math.max(h.masked, h.unmasked))));
    const width = LEFT + hours.length * SLOT + 8;
    const days = hours.map((h) => dateInputValue(h.start));
    const manyDays = days.some((day) => day !== days[0]);
    const height = TOP + PLOT + BOTTOM + (manyDays ? DAY_LINE : 0);
    const y = (value: number) => TOP + PLOT - (PLOT * value) / max;
    return html`<svg
        part="chart"
        role="img"
        aria-label=${this.summary()}
        viewBox="0 0 ${width} ${height}"
        width=${width}
        height=${height}
      >
        <defs>
          <pattern
            id="hatch"
            width="7"
            height="7"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="7" height="7" fill="#5a1612"></rect>
            <rect width="3" height="7" fill="#ff5c50"></rect>
          </pattern>
        </defs>
        ${[0, max / 2, max].map(
          (tick) => svg`<line class=${tick === 0 ? 'axis' : 'grid'} x1=${LEFT} x2=${width} y1=${y(tick)}
            y2=${y(tick)}></line>
            <text x=${LEFT - 6} y=${y(tick) + 5} text-anchor="end">${tick}</text>`,
        )}
        ${hours.map((hour, i) => {
          const x = LEFT + i * SLOT + (SLOT - 2 * BAR) / 2;
          return svg`<g data-hour=${hour.start}>
            ${this.bar('masked', x, hour.masked, y)}
            ${this.bar('unmasked', x + BAR, hour.unmasked, y)}
            <text class="hour" x=${x + BAR} y=${TOP + PLOT + 20} text-anchor="middle">${formatHour(hour.start)}</text>
            ${
              manyDays && (i === 0 || days[i] !== days[i - 1])
                ? svg`<text class="day" x=${x} y=${TOP + PLOT + 20 + DAY_LINE}>${formatDay(hour.start)}</text>`
                : ''
            }
          </g>`;
        })}
      </svg>
      <div class="legend" aria-hidden="true">
        <span><span class="swatch masked"></span>Masked (left bar)</span>
        <span><span class="swatch unmasked"></span>No mask (right bar)</span>
      </div>`;
  }

  private bar(kind: 'masked' | 'unmasked', x: number, value: number, y: (v: number) => number) {
    return svg`<rect class=${kind} data-kind=${kind} data-value=${value} x=${x + 2} y=${y(value)}
        width=${BAR - 4} height=${y(0) - y(value)}></rect>
      <text x=${x + BAR / 2} y=${y(value) - 5} text-anchor="middle">${value}</text>`;
  }

  /** One sentence for screen readers: the span, the totals, and the busiest hour. */
  private summary(): string {
    const hours = this.hours;
    const masked = hours.reduce((sum, h) => sum + h.masked, 0);
    const unmasked = hours.reduce((sum, h) => sum + h.unmasked, 0);
    const busiest = hours.reduce((a, b) => (b.masked + b.unmasked > a.masked + a.unmasked ? b : a));
    // With the days when it spans more than one ("from 10 PM to 5 AM" read as seven hours).
    const end = hours.at(-1)!.start + 3_600_000;
    const at = (time: number) =>
      dateInputValue(hours[0]!.start) === dateInputValue(end - 1)
        ? formatTime(time)
        : `${formatDay(time)} ${formatTime(time)}`;
    const span =
      hours.length === 1
        ? `in the hour from ${at(hours[0]!.start)}`
        : `from ${at(hours[0]!.start)} to ${at(end)}`;
    return (
      `People per hour ${span}: ${masked} masked and ${unmasked} without a mask in all. ` +
      `Busiest hour ${formatTime(busiest.start)}: ${busiest.masked} masked, ${busiest.unmasked} without a mask.`
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hourly-chart': HourlyChart;
  }
}
