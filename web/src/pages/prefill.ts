/**
 * A model config another page hands to the Models wizard (e.g. a model's config with priors from the
 * Touchpoints page): kept in the session for the next visit of the Models page, which opens the wizard
 * with it, as "Duplicate" does, and forgets it.
 */
import type { ModelConfig } from './modelPrefill.ts';

const KEY = 'marginal.wizard-prefill';

export function handToWizard(config: ModelConfig): void {
  sessionStorage.setItem(KEY, JSON.stringify(config));
  location.hash = '#/models';
}

export function takeWizardPrefill(): ModelConfig | null {
  const raw = sessionStorage.getItem(KEY);
  if (raw === null) return null;
  sessionStorage.removeItem(KEY);
  try { return JSON.parse(raw) as ModelConfig; } catch { return null; }
}
