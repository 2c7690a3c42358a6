/** A touchpoint events CSV whose customers carry a device (SEGMENTED_SIMULATION: known effects per device), for the segment tests. */
import { SEGMENTED_SIMULATION, simulateJourneys } from '../../src/touchpoints/index.ts';

/** Events with a device column on every row of the customer, as a CRM export would have it. */
export function segmentedCsv(customers: number): { csv: string; devices: Map<string, string> } {
  const t0 = Date.parse('2024-03-04T00:00:00Z') / 1000;
  const iso = (s: number) => new Date((t0 + s) * 1000).toISOString().replace('.000Z', 'Z');
  const lines = ['customer_id,time,interaction,conversion,conversion_value,channel,device'];
  const devices = new Map<string, string>();
  for (const j of simulateJourneys(4, customers, SEGMENTED_SIMULATION)) {
    const device = j.segment!.device;
    if (!j.touches.length) continue;
    devices.set(j.id!, device);
    j.touches.forEach((ch, i) => lines.push(`${j.id},${iso(j.times![i])},impression,0,0,${ch},${device}`));
    if (j.conversions > 0) lines.push(`${j.id},${iso(j.end!)},conversion,1,10,,${device}`);
  }
  return { csv: `${lines.join('\n')}\n`, devices };
}

