import type { JourneyStage } from '#db/schema';

// Apart from the question form, so pages that only show a stage do not load the form and its editor.
export const journeyStageLabels: Record<JourneyStage, string> = {
  evaluating: 'Looking & deciding',
  purchasing: 'Taking the leap',
  onboarding: 'I have it, now what?',
  first_success: 'First success',
  adoption: 'Part of the core',
  advocacy: 'Telling others',
};
