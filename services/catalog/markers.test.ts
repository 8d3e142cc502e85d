import { describe, expect, it } from "vitest";
import { validateMarkers } from "./markers.js";

const ok = (m: Parameters<typeof validateMarkers>[0], duration = 3000) => expect(() => validateMarkers(m, duration)).not.toThrow();
const bad = (m: Parameters<typeof validateMarkers>[0], message: RegExp, duration = 3000) =>
  expect(() => validateMarkers(m, duration)).toThrow(message);

describe("video markers", () => {
  it("accepts spans inside the video, no markers at all, and open-ended credits", () => {
    ok({});
    ok({ introStart: 30, introEnd: 90, creditsStart: 2800, creditsEnd: 3000 });
    ok({ creditsStart: 2800 });
    // Runtime unknown until the source is probed: only the order is checked.
    ok({ introStart: 30, introEnd: 90_000 }, 0);
  });

  it("needs start < end ≤ duration, both ends of the intro, and the intro before the credits", () => {
    bad({ introStart: 90, introEnd: 90 }, /intro_start_seconds \(90\) must be before/);
    bad({ introStart: 100, introEnd: 90 }, /must be before/);
    bad({ creditsStart: 2900, creditsEnd: 3001 }, /credits_end_seconds \(3001\) is past the end/);
    bad({ introStart: 10 }, /needs both/);
    bad({ introEnd: 10 }, /needs both/);
    bad({ creditsEnd: 10 }, /needs credits_start_seconds/);
    bad({ introStart: -1, introEnd: 5 }, /must not be negative/);
    bad({ introStart: 0, introEnd: 500, creditsStart: 400 }, /must end before the credits start/);
  });
});
