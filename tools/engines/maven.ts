import type { FetchSpec } from "./engine-spec.js";

/** The value of `<name>` in a pom's `<properties>`: the pom is the one place an engine's version is written. */
export function pomProperty(pom: string, name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`<${escaped}>([^<]+)</${escaped}>`).exec(pom);
  if (match === null) throw new Error(`the pom has no property <${name}>`);
  return match[1]!.trim();
}

/**
 * `mvn <goal>` on a pom of tools/engines: Maven Central is the one download source CI reaches, and
 * the local repository (~/.m2) keeps what it fetched for the next run.
 */
export function mavenFetch(pomPath: string, goal: "copy-dependencies" | "unpack-dependencies", into: string): FetchSpec {
  return { command: "mvn", args: ["-q", "-B", "-f", pomPath, `dependency:${goal}`, `-DoutputDirectory=${into}`], into };
}
