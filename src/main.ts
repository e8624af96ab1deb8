/** Page entry: registers the root element; everything else hangs off it. */
import './components/mask-guard-app.js';
