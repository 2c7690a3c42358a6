/**
 * What the plan routes answer beyond the stored plan (src/app/schemas/): a delete receipt; a plan in
 * flight (src/app/schemas/planTrack.ts) is a tracking job's result.
 */
import { z } from 'zod';

export { planTrackSchema } from '../app/schemas/planTrack.ts';

export const deletedSchema = z.object({ deleted: z.string() }).meta({ id: 'Deleted' });
