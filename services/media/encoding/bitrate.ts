export interface SegmentSize {
  bytes: number;
  durationSeconds: number;
}

export interface MeasuredBitrate {
  /** Bits per second over the whole rendition. */
  average: number;
  /**
   * Largest bits per second over any run of consecutive segments lasting 0.5–1.5× the target
   * duration (the HLS authoring rule for BANDWIDTH): a short last segment holding one keyframe
   * is judged with its neighbour, not alone.
   */
  peak: number;
}

export function measureBitrate(segments: readonly SegmentSize[], targetDurationSeconds: number): MeasuredBitrate {
  const totalBytes = segments.reduce((sum, s) => sum + s.bytes, 0);
  const totalSeconds = segments.reduce((sum, s) => sum + s.durationSeconds, 0);
  const average = totalSeconds > 0 ? (totalBytes * 8) / totalSeconds : 0;
  const [low, high] = [0.5 * targetDurationSeconds, 1.5 * targetDurationSeconds];
  let peak = 0;
  for (let start = 0; start < segments.length; start++) {
    let bytes = 0;
    let seconds = 0;
    for (let end = start; end < segments.length; end++) {
      bytes += segments[end]!.bytes;
      seconds += segments[end]!.durationSeconds;
      if (seconds > high) break;
      if (seconds >= low) peak = Math.max(peak, (bytes * 8) / seconds);
    }
  }
  // Content shorter than half a segment has no qualifying run: its average is its peak.
  return { average: Math.round(average), peak: Math.round(Math.max(peak, average)) };
}
