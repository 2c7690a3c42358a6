/**
 * The sentence every surface shows beside sub-channel figures (the CLI, the report, the web): the split
 * rule's consequence, in words (docs/mmm.md "Sub-channels"). Its own module, without imports, so the
 * web can show it without bundling the analysis.
 */
export const SUBCHANNEL_NOTE = 'Sub-channels share their channel\'s response curve: each gets the channel\'s contribution in proportion to its adstocked activity, so their ROIs differ only by cost per unit of activity and by timing.';
