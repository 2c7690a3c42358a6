/**
 * A designed test as the media team runs it: per geo and period of the window, the group and the
 * channel's planned spend — business as usual (the mean of the periods before, as the model reads it)
 * in control geos and unchanged periods, times 1 + spendChange where the test changes it. A national
 * time-based test has one geo, `national`, whose group says whether the period is changed.
 */
import type { FittedModel } from '../../models/fitted.ts';
import type { DesignedTest } from './design.ts';
import { designWindow, testBau } from './window.ts';

export interface TestPlanRow { geo: string; group: 'treatment' | 'control' | 'changed' | 'unchanged'; channel: string; week: string; plannedSpend: number }

export function testPlan(fitted: FittedModel, test: DesignedTest): TestPlanRow[] {
  const T = fitted.dates.length, C = fitted.channels.length, c = fitted.channels.indexOf(test.channel);
  const window = designWindow(fitted.dates, test.start, test.periods.length, test.alternate);
  const rows: TestPlanRow[] = [];
  if (test.kind === 'time') {
    const bau = testBau(fitted.spend, T, C, c, 0, window);
    window.dates.forEach((week, k) => rows.push({ geo: 'national', group: window.changed[k] ? 'changed' : 'unchanged', channel: test.channel, week, plannedSpend: window.changed[k] ? bau * (1 + test.spendChange) : bau }));
    return rows;
  }
  for (const [group, names] of [['treatment', test.treatment?.geos ?? []], ['control', test.control?.geos ?? []]] as const) {
    for (const geo of names) {
      const bau = testBau(fitted.spend, T, C, c, fitted.geos.indexOf(geo), window);
      for (const week of window.dates) rows.push({ geo, group, channel: test.channel, week, plannedSpend: group === 'treatment' ? bau * (1 + test.spendChange) : bau });
    }
  }
  return rows;
}
