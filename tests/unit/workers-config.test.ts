import { describe, expect, it } from "vitest";
import { parseWorkers } from "~/utils/config.server";

describe("WORKERS: how many server processes", () => {
  it("is one per core when unset or auto", () => {
    expect(parseWorkers(undefined, 2)).toBe(2);
    expect(parseWorkers("", 8)).toBe(8);
    expect(parseWorkers(" Auto ", 4)).toBe(4);
    expect(parseWorkers("auto", 0)).toBe(1);
  });

  it("takes a whole number from 1 to 256", () => {
    expect(parseWorkers("1", 8)).toBe(1);
    expect(parseWorkers("3", 2)).toBe(3);
    expect(parseWorkers("256", 2)).toBe(256);
  });

  it.each(["0", "-1", "1.5", "two", "257", "1e2", "0x2"])("refuses %j with a message that says what it takes", (raw) => {
    expect(() => parseWorkers(raw, 2)).toThrow(`WORKERS must be "auto" (one per core) or a whole number from 1 to 256; got "${raw}"`);
  });
});
