import { z } from "zod";
import { EVEN_WITH_FIELD_ERRORS } from "~/utils/form-schemas";
import { ROLES } from "./permissions";

const email = z
  .string({ error: "Enter an email address." })
  .trim()
  .min(1, "Enter an email address.")
  .max(254, "An email address is at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@clinic.org."));

export const SignInSchema = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1024, "That password is too long."),
  redirectTo: z.string().max(2000).optional(),
});

const newPassword = z.string({ error: "Choose a new password." }).min(1, "Choose a new password.").max(128, "Use at most 128 characters.");

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(1024),
    newPassword,
    confirmPassword: z.string({ error: "Type the new password again." }).min(1, "Type the new password again.").max(128),
  })
  .refine((v: Record<string, unknown>) => !v.newPassword || !v.confirmPassword || v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords do not match.",
    ...EVEN_WITH_FIELD_ERRORS,
  });

const name = z.string({ error: "Enter the person's name." }).trim().min(1, "Enter the person's name.").max(120, "A name is at most 120 characters.");

const role = z.enum(ROLES, { error: "Choose a role: admin, counselor, staff or billing." });

const siteIds = z.array(z.string().max(64), { error: "Choose at least one site." }).min(1, "Choose at least one site.").max(50);

export const CreateUserSchema = z.object({
  name,
  email,
  role,
  siteIds,
  temporaryPassword: newPassword,
});

export const UpdateUserSchema = z.object({
  intent: z.literal("update"),
  version: z.coerce.number({ error: "The form is out of date; reload the page." }).int().min(1),
  name,
  email,
  role,
  siteIds,
});

export const ResetPasswordSchema = z.object({
  intent: z.literal("reset-password"),
  temporaryPassword: newPassword,
});

export const SetActiveSchema = z.object({
  intent: z.enum(["deactivate", "reactivate"]),
  version: z.coerce.number().int().min(1),
});

/** A six-digit code from an authenticator app. */
export const authenticatorCode = z
  .string({ error: "Enter the six-digit code from your authenticator app." })
  .trim()
  .transform((v) => v.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the six digits your authenticator app shows now."));

/** The code step of sign-in: from the app, or one of the recovery codes. */
export const SecondFactorSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("authenticator"), code: authenticatorCode, redirectTo: z.string().max(2000).optional() }),
  z.object({
    intent: z.literal("recovery_code"),
    recoveryCode: z
      .string({ error: "Enter one of your recovery codes." })
      .trim()
      .min(1, "Enter one of your recovery codes.")
      .max(40, "A recovery code is ten letters and digits, like abcde-12345."),
    redirectTo: z.string().max(2000).optional(),
  }),
]);

const enrolmentKey = z
  .string({ error: "Start again: reload this page for a new key." })
  .regex(/^[A-Z2-7]{32}$/, "Start again: reload this page for a new key.");

export const ConfirmTwoFactorSchema = z.object({ secret: enrolmentKey, code: authenticatorCode, redirectTo: z.string().max(2000).optional() });

/** The account page's one-button forms, told apart by their `intent` (none carries fields). */
export const AccountActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sign-out-everywhere") }),
  z.object({ intent: z.literal("create-calendar") }),
  z.object({ intent: z.literal("revoke-calendar") }),
]);
