/** The HTML report's building blocks; reporters/html.ts is the reporter itself. */
export { renderPage } from './page.js';
export { formatEpsilon } from './facts.js';
export { activationChart, blockLabels, colourScale, ecdfPoints, flopsChart, sensitivityChart, suiteCharts, type Chart, type EcdfPoint } from './charts.js';
export { displayScale, encodePng, imageBytes, imageGrid, perturbationBytes, pixelByte } from './images.js';
export { checkSvg, renderSvg, UnsafeChartError } from './svg.js';
export { CONTENT_SECURITY_POLICY, FILTER_SCRIPT } from './script.js';
