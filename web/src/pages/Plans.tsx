/** Plans: build, optimize and compare budget plans (API: /api/plans). */
import { Empty } from '../ui.tsx';

export function PlansPage() {
  return <div className="page"><h1>Plans</h1><Empty>Plans arrive with the planning API.</Empty></div>;
}
