/** Touchpoints: attribution scores by method, the MMM consistency table, top paths, export. */
import { Empty } from '../ui.tsx';

export function TouchpointsPage() {
  return <div className="page"><h1>Touchpoints</h1><Empty>Touchpoint scoring arrives with the touchpoints API.</Empty></div>;
}
