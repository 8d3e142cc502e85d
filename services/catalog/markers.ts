import { invalid } from "./errors.js";
import type { Markers } from "./model.js";

/**
 * Checks intro/credits markers against each other and the video's runtime (when known, i.e. > 0):
 * every marker is a span with start < end ≤ duration. The intro needs both ends; the credits may
 * omit their end (they run to the end of the video). The intro ends before the credits start.
 */
export function validateMarkers(markers: Markers, durationSeconds: number): void {
  const { introStart, introEnd, creditsStart, creditsEnd } = markers;
  for (const [name, value] of Object.entries(markers) as [keyof Markers, number | undefined][]) {
    if (value === undefined) continue;
    if (value < 0) throw invalid(`markers.${fieldName(name)} must not be negative`);
    if (durationSeconds > 0 && value > durationSeconds) {
      throw invalid(`markers.${fieldName(name)} (${value}) is past the end of the video (${durationSeconds} s)`);
    }
  }
  if ((introStart === undefined) !== (introEnd === undefined)) throw invalid("markers: the intro needs both intro_start_seconds and intro_end_seconds");
  if (introStart !== undefined && introEnd !== undefined && introStart >= introEnd) {
    throw invalid(`markers: intro_start_seconds (${introStart}) must be before intro_end_seconds (${introEnd})`);
  }
  if (creditsEnd !== undefined && creditsStart === undefined) throw invalid("markers: credits_end_seconds needs credits_start_seconds");
  if (creditsStart !== undefined && creditsEnd !== undefined && creditsStart >= creditsEnd) {
    throw invalid(`markers: credits_start_seconds (${creditsStart}) must be before credits_end_seconds (${creditsEnd})`);
  }
  if (introEnd !== undefined && creditsStart !== undefined && introEnd > creditsStart) {
    throw invalid(`markers: the intro (ending at ${introEnd}) must end before the credits start (${creditsStart})`);
  }
}

function fieldName(name: keyof Markers): string {
  return `${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_seconds`;
}
