/**
 * Field paths (as the API names them in a problem's `field`, e.g. `config.experiments[0].start`) in the
 * words the forms use ("Lift test 1, start date"), so a message is shown under the label a marketer sees
 * and never as a schema path. One table for every form; a path it does not know reads as plain words.
 */

type Rule = [RegExp, (m: RegExpMatchArray) => string];

const CURVE_WORDS: Record<string, string> = { decay: 'carry-over decay', halfSaturation: 'half-saturation', shape: 'Hill shape' };
const PART_WORDS: Record<string, string> = { mean: 'prior mean', sd: 'prior spread (sd)' };
const EXPERIMENT_WORDS: Record<string, string> = { channel: 'channel', start: 'start date', end: 'end date', lift: 'lift', liftSe: 'standard error', geo: 'geo' };

const RULES: Rule[] = [
  [/^experiments\[(\d+)\](?:\.(\w+))?$/, (m) => `Lift test ${Number(m[1]) + 1}${m[2] ? `, ${EXPERIMENT_WORDS[m[2]] ?? words(m[2])}` : ''}`],
  [/^priors\.(roi|mroi)\.([^.]+)\.(mean|sd)$/, (m) => `${m[1] === 'roi' ? 'ROI' : 'Marginal ROI'} ${PART_WORDS[m[3]]} for ${m[2]}`],
  [/^priors\.(roi|mroi)\.([^.]+)$/, (m) => `${m[1] === 'roi' ? 'ROI' : 'Marginal ROI'} prior for ${m[2]}`],
  [/^priors\.contributionShare\.([^.]+)(?:\.(share|confidence))?$/, (m) => m[2] === 'confidence' ? `Confidence in the share for ${m[1]}` : `Share of the outcome for ${m[1]}`],
  [/^priors\.curves\.([^.]+)\.(\w+)(?:\.(mean|sd))?$/, (m) => `${cap(CURVE_WORDS[m[2]] ?? words(m[2]))} ${m[3] ? PART_WORDS[m[3]] : 'prior'} for ${m[1]}`],
  [/^channels\[(\d+)\]\.(\w+)/, (m) => `Channel ${Number(m[1]) + 1}, ${words(m[2])}`],
  [/^channels$/, () => 'Channels'],
  [/^controls\[(\d+)\]\.(\w+)/, (m) => `Control ${Number(m[1]) + 1}, ${words(m[2])}`],
  [/^target\.column$/, () => 'Target'],
  [/^target\.kind$/, () => 'Target kind'],
  [/^target\.revenuePerConversion$/, () => 'Revenue per conversion'],
  [/^data\.harmonized$/, () => 'Harmonized table'],
  [/^data\.population$/, () => 'Population column'],
  [/^holdout(\.periods)?$/, () => 'Holdout'],
  [/^adstock\.maxLag$/, () => 'Longest carry-over'],
  [/^adstock(\.type)?$/, () => 'Adstock'],
  [/^saturation(\.type)?$/, () => 'Saturation'],
  [/^seasonality\.yearly$/, () => 'Yearly seasonality'],
  [/^classic\.bootstrap$/, () => 'Bootstrap refits'],
  [/^search\.(iterations|trials)$/, (m) => cap(m[1])],
  [/^holidays\.country$/, () => 'Public holidays'],
  [/^constraints\.([^.]+?)(?:\.(min|max|locked|minPct|maxPct))?$/, (m) => `${m[2] === 'min' ? 'Minimum spend' : m[2] === 'max' ? 'Maximum spend' : m[2] === 'locked' ? 'Locked spend' : 'Bounds'} for ${m[1]}`],
  [/^flights\[(\d+)\](?:\.(\w+))?$/, (m) => `Flight ${Number(m[1]) + 1}${m[2] ? `, ${words(m[2])}` : ''}`],
  [/^models\[(\d+)\]\.weight$/, (m) => `Weight of line ${Number(m[1]) + 1}`],
  [/^target\.roi$/, () => 'ROI floor'],
  [/^target\.cpa$/, () => 'Cost per conversion'],
  [/^target\.outcome$/, () => 'Target outcome'],
  [/^band$/, () => 'Guardrail (± % of the recent mix)'],
];

/** `config.priors.roi.tv.sd` → "ROI prior spread (sd) for tv". */
export function fieldLabel(field: string, own: Record<string, string> = {}): string {
  const path = field.replace(/^(config|body|spec)\.?/, '');
  if (!path) return 'The settings';
  // A form's own words for its top-level fields ("Plan name" where the model wizard says "Model name").
  if (own[path]) return own[path];
  for (const [re, label] of RULES) {
    const m = path.match(re);
    if (m) return label(m);
  }
  return cap(path.split('.').map((p) => words(p.replace(/\[(\d+)\]/g, (_, i) => ` ${Number(i) + 1}`))).join(', '));
}

/** Field paths compared across the API's `a[0].b` and a form's own keys: one spelling. */
export function fieldKey(field: string): string {
  return field.replace(/^(config|body|spec)\.?/, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/** `revenuePerConversion` → "revenue per conversion". */
function words(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
