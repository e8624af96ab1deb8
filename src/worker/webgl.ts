/**
 * WebGL facts the worker needs. A worker keeps at most 4 live WebGL contexts (Chromium; making a 5th
 * silently loses the oldest), so the worker asks the contexts it already has rather than making new ones.
 */

/** The (unmasked, where the browser tells) renderer of a WebGL context. */
export function webglRendererOf(gl: WebGLRenderingContext | WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info === null ? gl.RENDERER : info.UNMASKED_RENDERER_WEBGL));
}
