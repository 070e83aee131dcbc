import { describe, expect, it } from "vitest";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  CREDENTIALS,
  coSignProblem,
  credentialsProblems,
  credentialsShort,
  mayCoSign,
  needsCoSignature,
  parseCredentials,
  type SigningPerson,
  storeCredentials,
} from "~/features/admin/credentials";
import { CredentialsSchema } from "~/features/admin/schemas";

const supervisor: SigningPerson = {
  id: "priya",
  active: true,
  credentials: ["LCSW"],
  signsIndependently: true,
  clinicalSupervisor: true,
  siteIds: ["riverside"],
};
const intern: SigningPerson = {
  id: "elena",
  active: true,
  credentials: ["INTERN"],
  signsIndependently: false,
  clinicalSupervisor: false,
  siteIds: ["riverside"],
};

describe("the credential list", () => {
  it("holds the sixteen credentials an admin chooses from, by unique code", () => {
    expect(CREDENTIALS.map((c) => c.code)).toEqual([
      "CADC",
      "LCADC",
      "LCSW",
      "LPC",
      "LMFT",
      "LMHC",
      "PSYCHOLOGIST",
      "MD",
      "DO",
      "NP",
      "PA",
      "RN",
      "LPN",
      "CPRS",
      "INTERN",
      "NONE",
    ]);
  });
  it("stores codes once each in the list's order, drops unknown ones and shows short names", () => {
    expect(storeCredentials(["LCSW", "CADC", "LCSW", "WIZARD"])).toBe("CADC,LCSW");
    expect(parseCredentials("LCSW, PSYCHOLOGIST,bogus")).toEqual(["LCSW", "PSYCHOLOGIST"]);
    expect(parseCredentials("")).toEqual([]);
    expect(parseCredentials(null)).toEqual([]);
    expect(credentialsShort(["PSYCHOLOGIST", "MD"])).toBe("PhD/PsyD, MD");
    expect(credentialsShort(["CPRS", "INTERN"])).toBe("CPRS, Intern/trainee");
    expect(credentialsShort([])).toBe("");
    expect(credentialsShort(["NONE"])).toBe("");
  });
});

describe("needsCoSignature", () => {
  it("is false only for a credentialed person set to sign independently", () => {
    expect(needsCoSignature({ credentials: ["LCSW"], signsIndependently: true })).toBe(false);
    expect(needsCoSignature({ credentials: ["CADC"], signsIndependently: false })).toBe(true);
    expect(needsCoSignature({ credentials: ["INTERN"], signsIndependently: false })).toBe(true);
    // Defensive: a stored trainee or uncredentialed person never signs alone, whatever the flag says.
    expect(needsCoSignature({ credentials: ["INTERN", "CADC"], signsIndependently: true })).toBe(true);
    expect(needsCoSignature({ credentials: ["NONE"], signsIndependently: true })).toBe(true);
    expect(needsCoSignature({ credentials: [], signsIndependently: true })).toBe(true);
  });
});

describe("mayCoSign", () => {
  it("lets an active, independent clinical supervisor at the author's site co-sign", () => {
    expect(mayCoSign(supervisor, intern)).toBe(true);
    expect(coSignProblem(supervisor, { id: "marcus", siteIds: ["eastside", "riverside"] })).toBeNull();
  });
  it("refuses the author themselves, someone not flagged, a deactivated account, a supervisor who needs co-signing and another site", () => {
    expect(coSignProblem(supervisor, { id: "priya", siteIds: ["riverside"] })).toBe("No one can co-sign their own document.");
    expect(coSignProblem({ ...supervisor, clinicalSupervisor: false }, intern)).toBe("Only a clinical supervisor can co-sign.");
    expect(coSignProblem({ ...supervisor, active: false }, intern)).toBe("That supervisor's account is deactivated.");
    expect(coSignProblem({ ...supervisor, signsIndependently: false }, intern)).toBe("A co-signer must be able to sign clinical documents independently.");
    expect(coSignProblem(supervisor, { id: "quinn", siteIds: ["eastside"] })).toBe("A co-signer must work at one of the author's sites.");
    expect(mayCoSign(supervisor, { id: "quinn", siteIds: [] })).toBe(false);
  });
});

describe("credentialsProblems", () => {
  const base = { credentials: ["LCSW"] as const, signsIndependently: true, clinicalSupervisor: false, usualSupervisorId: null };
  it("accepts a licensed person who signs alone and a trainee who is co-signed", () => {
    expect(credentialsProblems("p", base)).toEqual({});
    expect(credentialsProblems("p", { ...base, credentials: ["INTERN"], signsIndependently: false, usualSupervisorId: "priya" })).toEqual({});
    expect(credentialsProblems("p", { ...base, clinicalSupervisor: true })).toEqual({});
  });
  it("never lets an intern or someone without a credential sign independently", () => {
    expect(credentialsProblems("p", { ...base, credentials: ["INTERN"] }).signsIndependently?.[0]).toMatch(/intern or trainee cannot sign/);
    expect(credentialsProblems("p", { ...base, credentials: ["INTERN", "LPC"] }).signsIndependently?.[0]).toMatch(/intern or trainee cannot sign/);
    expect(credentialsProblems("p", { ...base, credentials: ["NONE"] }).signsIndependently?.[0]).toMatch(/without a credential cannot sign/);
    expect(credentialsProblems("p", { ...base, credentials: [] }).signsIndependently?.[0]).toMatch(/without a credential cannot sign/);
  });
  it("requires a supervisor to sign independently", () => {
    expect(credentialsProblems("p", { ...base, signsIndependently: false, clinicalSupervisor: true }).clinicalSupervisor).toEqual([
      "A clinical supervisor must be able to sign clinical documents independently.",
    ]);
  });
  it("refuses “none” beside a credential, oneself as supervisor and a usual supervisor for someone who signs alone", () => {
    expect(credentialsProblems("p", { ...base, credentials: ["NONE", "RN"], signsIndependently: false }).credentials).toHaveLength(1);
    expect(credentialsProblems("p", { ...base, signsIndependently: false, usualSupervisorId: "p" }).usualSupervisorId).toEqual([
      "No one can be their own supervisor.",
    ]);
    expect(credentialsProblems("p", { ...base, usualSupervisorId: "priya" }).usualSupervisorId?.[0]).toMatch(/Only someone who needs a co-signature/);
  });
});

describe("the credentials form", () => {
  const form = (entries: [string, string][]) => {
    const fd = new FormData();
    for (const [k, v] of [["intent", "credentials"], ["version", "3"], ...entries] as [string, string][]) fd.append(k, v);
    return parseWithZod(fd, { schema: CredentialsSchema });
  };
  it("reads checkboxes, the flags and an empty supervisor", () => {
    const ok = form([
      ["credentials", "LCSW"],
      ["credentials", "CADC"],
      ["signsIndependently", "yes"],
      ["usualSupervisorId", ""],
    ]);
    expect(ok.status).toBe("success");
    if (ok.status === "success")
      expect(ok.value).toEqual({
        intent: "credentials",
        version: 3,
        credentials: ["LCSW", "CADC"],
        signsIndependently: true,
        clinicalSupervisor: false,
        usualSupervisorId: null,
      });
    const none = form([]);
    expect(none.status === "success" && none.value.credentials).toEqual([]);
  });
  it("puts the rules' refusals under their fields and refuses a code not on the list", () => {
    const refused = form([
      ["credentials", "INTERN"],
      ["signsIndependently", "yes"],
    ]);
    expect(refused.status).toBe("error");
    expect(refused.reply().error?.signsIndependently?.[0]).toMatch(/intern or trainee/);
    expect(form([["credentials", "WIZARD"]]).status).toBe("error");
  });
});
