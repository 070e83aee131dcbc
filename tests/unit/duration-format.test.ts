import { describe, expect, it } from "vitest";
import { formatDuration } from "~/kernel/time";

describe("formatDuration: hours and minutes, never rounded up across a minimum", () => {
  it("shows a minute short of nine hours as 8 h 59 min, not 9 h", () => {
    // 539 = 8 × 60 + 59
    expect(formatDuration(539)).toBe("8 h 59 min");
  });
  it("shows whole hours without minutes, only when the minutes are exactly zero", () => {
    expect(formatDuration(540)).toBe("9 h"); // 9 × 60
    expect(formatDuration(60)).toBe("1 h");
    expect(formatDuration(1200)).toBe("20 h"); // PHP's floor
    expect(formatDuration(541)).toBe("9 h 1 min");
  });
  it("shows under an hour in minutes, and nothing as 0 min", () => {
    expect(formatDuration(45)).toBe("45 min");
    expect(formatDuration(59)).toBe("59 min");
    expect(formatDuration(1)).toBe("1 min");
    expect(formatDuration(0)).toBe("0 min");
  });
  it("drops a part minute instead of rounding it up, and never shows less than nothing", () => {
    // 539.9 minutes is still short of 540.
    expect(formatDuration(539.9)).toBe("8 h 59 min");
    expect(formatDuration(-5)).toBe("0 min");
  });
});
