/** An ffmpeg invocation as data: what the pure builders return and the runner executes. */
export interface FfmpegCommandSpec {
  /** Each input's options come before its `-i`; global options go on the first input. */
  inputs: { path: string; options: string[] }[];
  filterComplex?: string;
  outputs: { path: string; options: string[] }[];
  /** Folders to create before ffmpeg starts (its dash muxer does not create them). */
  directories?: string[];
}

/** The argument list ffmpeg receives (fluent-ffmpeg adds `-y` the same way): what a test can read. */
export function commandArgs(spec: FfmpegCommandSpec): string[] {
  return [
    ...spec.inputs.flatMap((input) => [...input.options, "-i", input.path]),
    "-y",
    ...(spec.filterComplex ? ["-filter_complex", spec.filterComplex] : []),
    ...spec.outputs.flatMap((output) => [...output.options, output.path]),
  ];
}
