import type { StreamKind } from "./bus.js";

/**
 * Subject layout: `<namespace>.events.>` and `<namespace>.work.>` (the streams), `<namespace>.live.>`
 * (live messages, never stored). The namespace is `cinemesh`
 * in every deployment; tests pick their own so their streams never overlap the real ones.
 */
export const DEFAULT_NAMESPACE = "cinemesh";

const TOKEN = /^[A-Za-z0-9_-]+$/;
const DURABLE = /^[A-Za-z0-9_-]{1,64}$/;

export function assertNamespace(namespace: string): void {
  if (!TOKEN.test(namespace)) throw new Error(`invalid bus namespace ${JSON.stringify(namespace)}`);
}

/** The stream a publish subject belongs to; throws for subjects outside both streams or with wildcards. */
export function streamOfSubject(namespace: string, subject: string): StreamKind {
  const tokens = subject.split(".");
  const [ns, kind] = tokens;
  const valid = tokens.length >= 3 && tokens.every((t) => t !== "" && !/[\s*>]/.test(t));
  if (valid && ns === namespace && (kind === "events" || kind === "work")) return kind;
  throw new Error(`cannot publish on ${JSON.stringify(subject)}: expected ${namespace}.events.… or ${namespace}.work.…`);
}

/** Throws unless `filter` is a well-formed filter that selects subjects of `stream` only. */
export function assertFilterInStream(namespace: string, stream: StreamKind, filter: string): void {
  const tokens = filter.split(".");
  if (!wellFormedFilter(tokens) || tokens[0] !== namespace || tokens[1] !== stream || tokens.length < 3) {
    throw new Error(`invalid filter ${JSON.stringify(filter)} for the ${stream} stream: expected ${namespace}.${stream}.…`);
  }
}

/** Throws unless `subject` is a concrete live subject `<namespace>.live.…` (no wildcards). */
export function assertLiveSubject(namespace: string, subject: string): void {
  const tokens = subject.split(".");
  const valid = tokens.length >= 3 && tokens.every((t) => t !== "" && !/[\s*>]/.test(t));
  if (!valid || tokens[0] !== namespace || tokens[1] !== "live") {
    throw new Error(`cannot publish live on ${JSON.stringify(subject)}: expected ${namespace}.live.… without wildcards`);
  }
}

/** Throws unless `filter` is a well-formed filter selecting live subjects only (`<namespace>.live.…`). */
export function assertLiveFilter(namespace: string, filter: string): void {
  const tokens = filter.split(".");
  if (!wellFormedFilter(tokens) || tokens[0] !== namespace || tokens[1] !== "live" || tokens.length < 3) {
    throw new Error(`invalid live filter ${JSON.stringify(filter)}: expected ${namespace}.live.…`);
  }
}

function wellFormedFilter(tokens: string[]): boolean {
  return tokens.every((t, i) => t !== "" && !/\s/.test(t) && (t === "*" || t === ">" || !/[*>]/.test(t)) && (t !== ">" || i === tokens.length - 1));
}

export function assertDurableName(durable: string): void {
  if (!DURABLE.test(durable)) throw new Error(`invalid durable name ${JSON.stringify(durable)}: use [A-Za-z0-9_-], at most 64`);
}

/** A POSIX regular expression (valid in Postgres and JS) matching the subjects a NATS filter selects. */
export function subjectFilterRegex(filter: string): string {
  const parts = filter.split(".").map((t) => (t === "*" ? "[^.]+" : t === ">" ? ".+" : t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return `^${parts.join("\\.")}$`;
}
