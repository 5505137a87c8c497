import { z } from 'zod';
import { journeyStages } from '#db/schema';

// Fields that several forms share, with one wording for their errors.

/** A <select> of ids where the empty option means "none". */
export function optionalIdField(message: string) {
  return z
    .string()
    .regex(/^\d{0,9}$/, message)
    .transform((value) => (value ? Number(value) : null));
}

export const categoryIdField = optionalIdField('Choose a category from the list.');

export const journeyStageField = z
  .enum(['', ...journeyStages], 'Choose a stage from the list.')
  .transform((value) => value || null);

/** The optional note that explains an edit, kept with the revision. */
export const editReasonField = z.string().trim().max(300, 'Use at most 300 characters.').optional();
